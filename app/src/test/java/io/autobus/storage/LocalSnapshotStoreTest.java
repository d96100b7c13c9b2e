package io.autobus.storage;

import static io.autobus.storage.TestContent.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobus.support.TestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSnapshotStoreTest extends SnapshotStoreContract {
    private static final byte[] SIGNING_KEY = random(32);

    @TempDir
    Path root;
    private final TestClock clock = new TestClock();
    private DownloadServer server;
    private LocalSnapshotStore store;

    @BeforeEach
    void startDownloads() {
        server = DownloadServer.start(new LocalDownloads(root, SIGNING_KEY, clock), 0);
        store = new LocalSnapshotStore(root, server.url(), SIGNING_KEY, clock);
    }

    @AfterEach
    void stopDownloads() {
        server.close();
    }

    @Override
    SnapshotStore store() {
        return store;
    }

    @Override
    void assertNothingHalfStoredAt(String key) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void a_download_link_works_for_30_minutes_then_is_refused_with_410() throws Exception {
        String key = newKey();
        store.put(key, new ByteArrayInputStream(random(100)));
        URI url = store.downloadUrl(key, "DATABASE_abc123.dump");

        clock.advance(Duration.ofMinutes(29));
        var early = fetch(url);
        clock.advance(Duration.ofMinutes(1));
        var late = fetch(url);

        assertThat(early.statusCode()).isEqualTo(200);
        assertThat(late.statusCode()).isEqualTo(410);
        assertThat(new String(late.body(), StandardCharsets.UTF_8)).contains("expired");
    }

    @Test
    void a_tampered_cut_short_or_foreign_link_is_refused_with_403() throws Exception {
        String key = newKey();
        store.put(key, new ByteArrayInputStream(random(100)));
        String url = store.downloadUrl(key, "DATABASE_abc123.dump").toString();
        String token = url.substring(url.lastIndexOf('/') + 1);
        String base = url.substring(0, url.lastIndexOf('/') + 1);
        // Another payload character: still valid base64, so only the signature can tell.
        char changed = token.charAt(5) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, 5) + changed + token.substring(6);
        var foreign = new LocalSnapshotStore(root, server.url(), random(33), clock).downloadUrl(key, "DATABASE_abc123.dump");

        assertThat(fetch(URI.create(base + tampered)).statusCode()).isEqualTo(403);
        assertThat(fetch(URI.create(base + token.substring(0, token.length() - 4))).statusCode()).isEqualTo(403);
        assertThat(fetch(URI.create(base + "not-a-token")).statusCode()).isEqualTo(403);
        assertThat(fetch(foreign).statusCode()).isEqualTo(403);
        assertThat(fetch(URI.create(url)).statusCode()).isEqualTo(200);
    }

    @Test
    void a_link_to_a_deleted_snapshot_answers_404() throws Exception {
        String key = newKey();
        store.put(key, new ByteArrayInputStream(random(100)));
        URI url = store.downloadUrl(key, "DATABASE_abc123.dump");

        store.delete(key);

        assertThat(fetch(url).statusCode()).isEqualTo(404);
    }

    @Test
    void keys_that_are_absolute_or_contain_dot_dot_are_rejected() {
        var content = new ByteArrayInputStream(random(10));

        for (String key : new String[] {"../outside.dump", "a/../../outside.dump", "/etc/passwd", "a/..", "", " "}) {
            assertThatThrownBy(() -> store.put(key, content)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.open(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.exists(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.downloadUrl(key, "x.dump")).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(root.getParent().resolve("outside.dump")).doesNotExist();
    }

    @Test
    void stores_the_object_as_a_file_under_its_key_and_calls_its_region_local() throws IOException {
        String key = newKey();

        store.put(key, new ByteArrayInputStream("dump".getBytes(StandardCharsets.UTF_8)));

        assertThat(root.resolve(key)).hasContent("dump");
        assertThat(store.region()).isEqualTo("local");
    }
}
