package io.autobus.storage;

import static io.autobus.storage.TestContent.MIB;
import static io.autobus.storage.TestContent.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobus.support.Crc32c;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link SnapshotStore} does; each implementation's test extends this. */
abstract class SnapshotStoreContract {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The store under test, fresh for each test. */
    abstract SnapshotStore store();

    /** Fails if anything of a failed put remains: a partial file, an open multipart upload. */
    abstract void assertNothingHalfStoredAt(String key) throws IOException;

    static String newKey() {
        return UUID.randomUUID() + "/DATABASE_" + UUID.randomUUID().toString().substring(0, 8) + ".dump";
    }

    static HttpResponse<byte[]> fetch(URI url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void gives_back_the_bytes_it_stored() throws IOException {
        String key = newKey();
        byte[] content = random(3 * MIB + 17);

        store().put(key, new ByteArrayInputStream(content));

        try (var stored = store().open(key)) {
            assertThat(stored.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void gives_back_the_bytes_of_content_spanning_several_parts() throws IOException {
        String key = newKey();
        byte[] content = random(17 * MIB + 5);

        store().put(key, new ByteArrayInputStream(content));

        try (var stored = store().open(key)) {
            assertThat(stored.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void returns_the_crc32c_of_the_bytes_it_gives_back_whether_small_spanning_parts_or_empty() throws IOException {
        for (byte[] content : new byte[][] {random(1000), random(17 * MIB + 5), new byte[0]}) {
            String key = newKey();

            StoredChecksum checksum = store().put(key, new ByteArrayInputStream(content));

            try (var stored = store().open(key)) {
                assertThat(checksum).as("%d bytes", content.length)
                        .isEqualTo(new StoredChecksum("CRC32C", Crc32c.base64(stored.readAllBytes())));
            }
        }
    }

    @Test
    void stores_an_empty_stream_as_an_empty_object() throws IOException {
        String key = newKey();

        store().put(key, InputStream.nullInputStream());

        assertThat(store().exists(key)).isTrue();
        try (var stored = store().open(key)) {
            assertThat(stored.readAllBytes()).isEmpty();
        }
    }

    @Test
    void a_content_stream_failing_half_way_leaves_nothing_behind_and_its_exception_is_rethrown() throws IOException {
        String key = newKey();
        var failure = new IOException("pg_dump: error: connection to server lost");

        // 20 MiB: more than two 8 MiB parts are already uploaded when the stream breaks.
        assertThatThrownBy(() -> store().put(key, TestContent.failingAfter(20 * MIB, failure))).isSameAs(failure);

        assertThat(store().exists(key)).isFalse();
        assertNothingHalfStoredAt(key);
    }

    @Test
    void storing_again_at_a_key_replaces_the_object() throws IOException {
        String key = newKey();
        store().put(key, new ByteArrayInputStream(random(1000)));

        store().put(key, new ByteArrayInputStream("second".getBytes()));

        try (var stored = store().open(key)) {
            assertThat(stored.readAllBytes()).asString().isEqualTo("second");
        }
    }

    @Test
    void tells_whether_an_object_exists() throws IOException {
        String key = newKey();
        assertThat(store().exists(key)).isFalse();

        store().put(key, new ByteArrayInputStream(random(10)));

        assertThat(store().exists(key)).isTrue();
        assertThat(store().exists(newKey())).isFalse();
    }

    @Test
    void deleting_a_missing_key_or_deleting_twice_is_not_an_error() throws IOException {
        String key = newKey();
        store().put(key, new ByteArrayInputStream(random(10)));

        store().delete(key);
        store().delete(key);
        store().delete(newKey());

        assertThat(store().exists(key)).isFalse();
    }

    @Test
    void opening_a_missing_key_fails_with_no_such_file() {
        assertThatThrownBy(() -> store().open(newKey()).close()).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void a_download_url_serves_the_bytes_under_the_file_name() throws Exception {
        String key = newKey();
        byte[] content = random(2 * MIB + 3);
        store().put(key, new ByteArrayInputStream(content));

        var response = fetch(store().downloadUrl(key, "DATABASE_abc123.dump"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"DATABASE_abc123.dump\"");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        assertThat(response.body()).isEqualTo(content);
    }

    @Test
    void refuses_a_download_file_name_that_would_need_escaping() {
        String key = newKey();

        assertThatThrownBy(() -> store().downloadUrl(key, "a\"; filename=\"evil.exe"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().downloadUrl(key, "DATABASE\r\n.dump")).isInstanceOf(IllegalArgumentException.class);
    }
}
