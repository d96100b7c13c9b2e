package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.storage.MisreportedChecksums;
import io.autobus.storage.StoredChecksum;
import io.autobus.support.BackupHarness;
import io.autobus.support.Crc32c;
import io.autobus.support.SourceDatabases;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;

/** Issue 20: the stored copy proven without downloading it, recorded with the snapshot. */
class StoredChecksumTest {
    private final BackupHarness harness = new BackupHarness();

    @Test
    void a_snapshot_records_the_crc32c_of_the_bytes_stored_in_s3() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", SourceDatabases.incompressiblePostgres("sums", 20));

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        byte[] stored;
        try (var in = harness.stores.byRegion(snapshot.storageRegion()).open(snapshot.storageKey())) {
            stored = in.readAllBytes();
        }
        assertThat(stored.length).as("spans several parts").isGreaterThan(16 * 1024 * 1024);
        assertThat(snapshot.storedChecksum()).isEqualTo(new StoredChecksum("CRC32C", Crc32c.base64(stored)));
    }

    @Test
    void a_snapshot_whose_stored_copy_s3_reports_with_another_checksum_fails_as_corrupt_and_leaves_no_object() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", SourceDatabases.incompressiblePostgres("sums", 20));

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> "eu-west-1".equals(store.region())
                ? MisreportedChecksums.store(harness.s3, harness.bucketEu, "eu-west-1") : store);

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).contains("the stored copy's checksum").contains("differs from the one computed while uploading")
                .contains("the upload was corrupted");
        assertThat(snapshot.storedChecksum()).isNull();
        String key = SnapshotKeys.objectKey(addon, "DATABASE_URL", snapshot.id(), "postgresql");
        assertThat(harness.eu.exists(key)).isFalse();
        assertThat(harness.s3.client().listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(harness.bucketEu).build())
                .uploads()).noneMatch(upload -> upload.key().equals(key));
    }
}
