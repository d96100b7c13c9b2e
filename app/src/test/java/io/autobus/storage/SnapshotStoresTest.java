package io.autobus.storage;

import static io.autobus.storage.TestContent.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobus.config.Settings;
import io.autobus.support.S3ProxyServer;
import io.autobus.support.TestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotStoresTest {
    private static final S3ProxyServer PROXY = S3ProxyServer.shared();
    private static final String SECRET_KEY = Base64.getEncoder().encodeToString(random(32));
    private static String bucketUs;
    private static String bucketEu;
    private static SnapshotStores s3Stores;

    @TempDir
    Path home;

    @BeforeAll
    static void createBuckets(@TempDir Path home) {
        bucketUs = PROXY.createBucket("us");
        bucketEu = PROXY.createBucket("eu");
        s3Stores = SnapshotStores.from(settings(home, Map.of(
                "S3_BUCKET_US", bucketUs, "S3_BUCKET_EU", bucketEu, "S3_ENDPOINT", PROXY.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL)), new TestClock());
    }

    @AfterAll
    static void closeStores() throws Exception {
        s3Stores.close();
    }

    private static Settings settings(Path home, Map<String, String> extra) {
        var env = new HashMap<>(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_PASSWORD", "password",
                "AUTOBUS_SSO_SALT", "salt", "AUTOBUS_SECRET_KEY", SECRET_KEY));
        env.putAll(extra);
        return Settings.fromEnvironment(env);
    }

    @ParameterizedTest(name = "an app in {0} is stored in {1}")
    @CsvSource({
            "us, eu-west-1",
            "amazon-web-services::us-east-1, eu-west-1",
            "virginia, eu-west-1",
            "oregon, eu-west-1",
            "montreal, eu-west-1",
            "tokyo, eu-west-1",
            "singapore, eu-west-1",
            "sydney, eu-west-1",
            "mumbai, eu-west-1",
            "eu, us-east-1",
            "EU, us-east-1",
            "amazon-web-services::eu-west-1, us-east-1",
            "amazon-web-services::eu-central-1, us-east-1",
            "frankfurt, us-east-1",
            "dublin, us-east-1",
            "london, us-east-1",
    })
    void an_app_is_stored_on_the_other_continent(String herokuRegion, String storeRegion) {
        assertThat(s3Stores.forAppRegion(herokuRegion).region()).isEqualTo(storeRegion);
    }

    @Test
    void us_apps_go_to_the_eu_bucket_and_eu_apps_to_the_us_bucket() {
        assertThat(((S3SnapshotStore) s3Stores.forAppRegion("us")).bucket()).isEqualTo(bucketEu);
        assertThat(((S3SnapshotStore) s3Stores.forAppRegion("eu")).bucket()).isEqualTo(bucketUs);
        assertThat(s3Stores.localDownloads()).isEmpty();
    }

    @Test
    void a_snapshot_is_found_again_by_the_region_recorded_with_it() throws IOException {
        var store = s3Stores.forAppRegion("us");
        String key = SnapshotStoreContract.newKey();
        store.put(key, new ByteArrayInputStream(random(10)));

        var found = s3Stores.byRegion(store.region());

        assertThat(found).isSameAs(store);
        assertThat(found.exists(key)).isTrue();
        assertThatThrownBy(() -> s3Stores.byRegion("ap-south-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void two_buckets_in_the_same_region_are_refused_since_snapshots_record_only_the_region() {
        var sameRegion = settings(home, Map.of("S3_BUCKET_US", "a", "S3_BUCKET_EU", "b", "S3_REGION_EU", "us-east-1",
                "S3_ENDPOINT", PROXY.endpoint().toString()));

        assertThatThrownBy(() -> SnapshotStores.from(sameRegion, new TestClock()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("us-east-1");
    }

    @Test
    void the_upload_memory_is_160_mib_unless_set_and_never_less_than_one_largest_part() {
        var s3 = Map.of("S3_BUCKET_US", "a", "S3_BUCKET_EU", "b");
        assertThat(settings(home, s3).s3().orElseThrow().uploadMemoryMb()).isEqualTo(160);
        var more = new HashMap<>(s3);
        more.put("AUTOBUS_UPLOAD_MEMORY_MB", "480");
        assertThat(settings(home, more).s3().orElseThrow().uploadMemoryMb()).isEqualTo(480);
        more.put("AUTOBUS_UPLOAD_MEMORY_MB", "64");
        assertThatThrownBy(() -> settings(home, more)).hasMessageContaining("AUTOBUS_UPLOAD_MEMORY_MB (64) must be at least 160");
    }

    @Test
    void the_smallest_upload_part_is_8_mib_unless_set_from_5_mib_to_the_upload_memory() {
        var s3 = new HashMap<>(Map.of("S3_BUCKET_US", "a", "S3_BUCKET_EU", "b"));
        assertThat(settings(home, s3).s3().orElseThrow().uploadPartMb()).isEqualTo(8);
        s3.put("AUTOBUS_UPLOAD_PART_MB", "160");
        assertThat(settings(home, s3).s3().orElseThrow().uploadPartMb()).isEqualTo(160);
        s3.put("AUTOBUS_UPLOAD_PART_MB", "4");
        assertThatThrownBy(() -> settings(home, s3)).hasMessageContaining("AUTOBUS_UPLOAD_PART_MB (4) must be from 5");
        s3.put("AUTOBUS_UPLOAD_PART_MB", "200");
        assertThatThrownBy(() -> settings(home, s3)).hasMessageContaining("to AUTOBUS_UPLOAD_MEMORY_MB (160)");
    }

    @Test
    void without_s3_every_app_gets_the_one_local_store_whose_links_it_serves() throws Exception {
        int port = freePort();
        var settings = settings(home, Map.of("AUTOBUS_PUBLIC_URL", "http://127.0.0.1:" + port));
        try (var stores = SnapshotStores.from(settings, new TestClock());
             var server = DownloadServer.start(stores.localDownloads().orElseThrow(), port)) {
            var store = stores.forAppRegion("us");
            String key = SnapshotStoreContract.newKey();
            store.put(key, new ByteArrayInputStream(random(100)));

            var response = SnapshotStoreContract.fetch(store.downloadUrl(key, "DATABASE_abc123.dump"));

            assertThat(store).isInstanceOf(LocalSnapshotStore.class);
            assertThat(stores.forAppRegion("eu")).isSameAs(store);
            assertThat(stores.forAppRegion("tokyo")).isSameAs(store);
            assertThat(stores.byRegion("local")).isSameAs(store);
            assertThat(settings.storageDir().resolve(key)).exists();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(SnapshotStores.signingKey(settings.secretKey())).isNotEqualTo(settings.secretKey()).hasSize(32);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
