package io.autobus.backup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.autobus.config.Settings;
import io.autobus.storage.S3SnapshotStore;
import io.autobus.storage.SnapshotStore;
import io.autobus.support.BackupHarness;
import io.autobus.support.SourceDatabases;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;

/**
 * S3 answering 503 for a while: a fault-injecting proxy (WireMock, forwarding everything else to
 * S3Proxy with the Host header kept, so signatures still match) in front of the real server.
 */
class S3OutageTest {
    private final BackupHarness harness = new BackupHarness();
    private final WireMockServer proxy = new WireMockServer(wireMockConfig().dynamicPort().preserveHostHeader(true));

    S3OutageTest() {
        proxy.start();
        proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(harness.s3.endpoint().toString())));
    }

    @AfterEach
    void stop() {
        proxy.stop();
    }

    @Test
    void a_short_outage_while_parts_upload_is_ridden_out_by_retries_and_the_snapshot_completes() throws Exception {
        failPartUploads(2);
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", SourceDatabases.incompressiblePostgres("outage", 20));

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> "eu-west-1".equals(store.region()) ? throughProxy() : store);

        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(proxy.findAll(putRequestedFor(urlPathMatching(".*")).withQueryParam("partNumber", matching(".*"))).size())
                .as("the failed parts were sent again").isGreaterThan(2);
        assertThat(harness.eu.exists(snapshot.storageKey())).isTrue();
    }

    @Test
    void an_outage_longer_than_the_retries_fails_the_snapshot_cleanly() throws Exception {
        failPartUploads(1000);
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", SourceDatabases.incompressiblePostgres("outage", 20));

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> "eu-west-1".equals(store.region()) ? throughProxy() : store);

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).contains("503");
        String key = SnapshotKeys.objectKey(addon, "DATABASE_URL", snapshot.id(), "postgresql");
        assertThat(harness.eu.exists(key)).isFalse();
        assertThat(harness.s3.client().listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(harness.bucketEu).build())
                .uploads()).noneMatch(upload -> upload.key().equals(key));
    }

    /** The first {@code times} part uploads answer 503 Slow Down. */
    private void failPartUploads(int times) {
        String state = Scenario.STARTED;
        for (int i = 1; i <= Math.min(times, 50); i++) {
            String next = i == Math.min(times, 50) && times <= 50 ? "recovered" : "failed-" + i;
            proxy.stubFor(put(urlPathMatching(".*")).withQueryParam("partNumber", matching(".*")).atPriority(1)
                    .inScenario("outage").whenScenarioStateIs(state).willSetStateTo(next)
                    .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/xml")
                            .withBody("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>")));
            state = next;
        }
        if (times > 50) {
            proxy.stubFor(put(urlPathMatching(".*")).withQueryParam("partNumber", matching(".*")).atPriority(2)
                    .willReturn(aResponse().withStatus(503).withBody("<Error><Code>SlowDown</Code></Error>")));
        }
    }

    /** The EU store (where a US app's snapshots go), reached through the proxy. */
    private SnapshotStore throughProxy() {
        var direct = harness.s3.settings(harness.bucketUs, harness.bucketEu);
        var viaProxy = new Settings.S3Settings(direct.bucketUs(), direct.regionUs(), direct.bucketEu(), direct.regionEu(),
                Optional.of(URI.create(proxy.baseUrl())), direct.accessKeyId(), direct.secretAccessKey(), direct.uploadMemoryMb(),
                direct.uploadPartMb());
        return S3SnapshotStore.create(viaProxy, harness.bucketEu, "eu-west-1", harness.uploadMemory);
    }
}
