package io.autobus.storage;

import static io.autobus.storage.TestContent.MIB;
import static io.autobus.storage.TestContent.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.autobus.support.Crc32c;
import io.autobus.support.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

class S3SnapshotStoreTest extends SnapshotStoreContract {
    private static final S3ProxyServer PROXY = S3ProxyServer.shared();
    private static final String REGION = "eu-west-1";

    private final S3Traffic traffic = new S3Traffic();
    private String bucket;
    private S3SnapshotStore store;

    @BeforeEach
    void createBucket() {
        bucket = PROXY.createBucket("snapshots");
        store = storeFor(bucket);
    }

    @AfterEach
    void closeStore() {
        traffic.releaseParts();
        store.close();
        PROXY.deleteBucket(bucket);
    }

    /** A store as {@link S3SnapshotStore#create} builds it, with {@link S3Traffic} watching its client. */
    private S3SnapshotStore storeFor(String bucket) {
        var settings = PROXY.settings(bucket, bucket);
        var client = PROXY.clientBuilder(REGION).overrideConfiguration(config -> config.addExecutionInterceptor(traffic)).build();
        return new S3SnapshotStore(client, S3SnapshotStore.presigner(settings, REGION), bucket, REGION, PartSizes.STANDARD,
                UploadMemory.ofMegabytes(io.autobus.config.Settings.S3Settings.UPLOAD_MEMORY_MB));
    }

    @Override
    SnapshotStore store() {
        return store;
    }

    @Override
    void assertNothingHalfStoredAt(String key) {
        var uploads = PROXY.client().listMultipartUploads(list -> list.bucket(bucket)).uploads();
        assertThat(uploads).filteredOn(upload -> upload.key().equals(key)).isEmpty();
        assertThat(traffic.operations()).contains("AbortMultipartUpload");
    }

    @Test
    void every_object_is_stored_with_server_side_encryption() throws IOException {
        String small = newKey();
        String large = newKey();

        store.put(small, new ByteArrayInputStream(random(1000)));
        store.put(large, new ByteArrayInputStream(random(9 * MIB)));

        // S3Proxy's transient backend reports AES256 for every object, even one stored without
        // it; so what proves encryption is the header on the requests that create objects.
        assertThat(traffic.sent())
                .filteredOn(sent -> sent.operation().equals("PutObject") || sent.operation().equals("CreateMultipartUpload"))
                .hasSize(2)
                .allSatisfy(sent -> assertThat(sent.header("x-amz-server-side-encryption")).contains("AES256"));
        assertThat(PROXY.client().headObject(head -> head.bucket(bucket).key(large)).serverSideEncryption())
                .isEqualTo(ServerSideEncryption.AES256);
    }

    @Test
    void every_part_and_the_whole_object_travel_with_their_crc32c() throws IOException {
        byte[] content = random(17 * MIB);

        StoredChecksum checksum = store.put(newKey(), new ByteArrayInputStream(content));

        assertThat(traffic.sent()).filteredOn(sent -> sent.operation().equals("UploadPart")).hasSize(3)
                .allSatisfy(sent -> assertThat(sent.header("x-amz-checksum-crc32c")).isPresent());
        // Parts may leave in any order: the first part is the request whose partNumber is 1.
        assertThat(traffic.sent()).filteredOn(sent -> sent.operation().equals("UploadPart")
                        && sent.http().firstMatchingRawQueryParameter("partNumber").orElse("").equals("1"))
                .singleElement().satisfies(sent -> assertThat(sent.header("x-amz-checksum-crc32c"))
                        .contains(Crc32c.base64(java.util.Arrays.copyOf(content, 8 * MIB))));
        assertThat(traffic.sent()).filteredOn(sent -> sent.operation().equals("CreateMultipartUpload")).singleElement()
                .satisfies(sent -> {
                    assertThat(sent.header("x-amz-checksum-algorithm")).contains("CRC32C");
                    assertThat(sent.header("x-amz-checksum-type")).contains("FULL_OBJECT");
                });
        assertThat(traffic.sent()).filteredOn(sent -> sent.operation().equals("CompleteMultipartUpload")).singleElement()
                .satisfies(sent -> assertThat(sent.header("x-amz-checksum-crc32c")).contains(checksum.value()));
        assertThat(checksum.value()).isEqualTo(Crc32c.base64(content));
    }

    @Test
    void the_checksum_returned_is_the_one_s3_keeps_with_the_object() throws IOException {
        for (int size : new int[] {1000, 17 * MIB}) {
            String key = newKey();

            StoredChecksum checksum = store.put(key, new ByteArrayInputStream(random(size)));

            var head = PROXY.client().headObject(request -> request.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            assertThat(head.checksumCRC32C()).as("%d bytes", size).isEqualTo(checksum.value());
            assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        }
    }

    @Test
    void a_stored_copy_whose_reported_checksum_differs_fails_as_corrupt_and_is_deleted() {
        traffic.misreportChecksums();
        for (int size : new int[] {1000, 17 * MIB}) {
            String key = newKey();

            assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(random(size))))
                    .as("%d bytes", size)
                    .isInstanceOf(CorruptUploadException.class)
                    .hasMessageContaining("the stored copy's checksum (CRC32C " + S3Traffic.altered(Crc32c.base64(random(size)))
                            + ", at s3://" + bucket + "/" + key)
                    .hasMessageContaining("differs from the one computed while uploading (" + Crc32c.base64(random(size)) + ")")
                    .hasMessageContaining("the upload was corrupted");

            assertThat(PROXY.client().listObjectsV2(list -> list.bucket(bucket).prefix(key)).contents()).isEmpty();
            assertThat(PROXY.client().listMultipartUploads(list -> list.bucket(bucket)).uploads())
                    .noneMatch(upload -> upload.key().equals(key));
        }
    }

    @Test
    void an_upload_answered_without_a_checksum_asks_s3_for_the_one_it_keeps() throws IOException {
        traffic.withholdChecksums(false);
        String key = newKey();
        byte[] content = random(17 * MIB);

        StoredChecksum checksum = store.put(key, new ByteArrayInputStream(content));

        assertThat(checksum.value()).isEqualTo(Crc32c.base64(content));
        assertThat(traffic.sent()).filteredOn(sent -> sent.operation().equals("HeadObject")).singleElement()
                .satisfies(sent -> assertThat(sent.header("x-amz-checksum-mode")).contains("ENABLED"));
    }

    @Test
    void a_store_that_reports_no_checksum_at_all_fails_the_put_and_keeps_nothing() {
        traffic.withholdChecksums(true);
        String key = newKey();

        assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(random(1000))))
                .isInstanceOf(CorruptUploadException.class)
                .hasMessageContaining("S3 reported no CRC32C checksum for s3://" + bucket + "/" + key);

        assertThat(PROXY.client().listObjectsV2(list -> list.bucket(bucket).prefix(key)).contents()).isEmpty();
    }

    @Test
    void a_part_corrupted_on_the_way_is_refused_by_s3_and_nothing_is_stored() {
        String key = newKey();
        traffic.corruptPart(2);

        assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(random(20 * MIB))))
                .isInstanceOf(CorruptUploadException.class)
                .hasMessageContaining("BadDigest")
                .hasMessageContaining("the upload was corrupted on the way");

        assertThat(traffic.operations()).doesNotContain("CompleteMultipartUpload");
        assertThat(PROXY.client().listObjectsV2(list -> list.bucket(bucket).prefix(key)).contents()).isEmpty();
        assertNothingHalfStoredAt(key);
    }

    @Test
    void content_that_fits_in_the_first_part_is_stored_with_a_single_put() throws IOException {
        store.put(newKey(), new ByteArrayInputStream(random(8 * MIB)));

        assertThat(traffic.operations()).containsExactly("ListMultipartUploads", "PutObject");
    }

    @Test
    void content_one_byte_larger_than_a_part_is_uploaded_in_two_parts() throws IOException {
        store.put(newKey(), new ByteArrayInputStream(random(8 * MIB + 1)));

        assertThat(traffic.operations()).as("first, uploads a killed earlier run left open are looked for")
                .containsExactly("ListMultipartUploads", "CreateMultipartUpload", "UploadPart", "UploadPart", "CompleteMultipartUpload");
    }

    @Test
    void an_upload_sends_at_most_two_parts_at_once_and_holds_at_most_three_8_mib_buffers() throws IOException {
        String key = newKey();
        byte[] content = random(50 * MIB);

        store.put(key, new ByteArrayInputStream(content));

        assertThat(traffic.operations()).filteredOn("UploadPart"::equals).hasSize(7);
        assertThat(traffic.mostPartsUploading()).isBetween(1, 2);
        assertThat(store.peakPartBuffers()).isLessThanOrEqualTo(StreamingUpload.PARTS_IN_FLIGHT + 1);
        assertThat(store.peakPartBufferBytes()).isLessThanOrEqualTo(3L * 8 * MIB);
        try (var stored = store.open(key)) {
            assertThat(stored.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void a_store_built_with_autobus_upload_part_mb_uploads_parts_of_that_size() throws IOException {
        var defaults = PROXY.settings(bucket, bucket);
        var settings = new io.autobus.config.Settings.S3Settings(bucket, "us-east-1", bucket, REGION, defaults.endpoint(),
                defaults.accessKeyId(), defaults.secretAccessKey(), defaults.uploadMemoryMb(), 16);
        String key = newKey();
        byte[] content = random(16 * MIB + 1);

        try (var sixteen = S3SnapshotStore.create(settings, bucket, REGION, UploadMemory.ofMegabytes(settings.uploadMemoryMb()))) {
            sixteen.put(key, new ByteArrayInputStream(content));

            assertThat(sixteen.peakPartBufferBytes()).as("every part buffer is 16 MiB, not the default 8")
                    .isPositive().isEqualTo(sixteen.peakPartBuffers() * 16L * MIB);
            try (var stored = sixteen.open(key)) {
                assertThat(stored.readAllBytes()).isEqualTo(content);
            }
        }
    }

    @Test
    void a_small_dump_holds_a_single_8_mib_buffer() throws IOException {
        store.put(newKey(), new ByteArrayInputStream(random(MIB)));

        assertThat(store.peakPartBuffers()).isEqualTo(1);
        assertThat(store.peakPartBufferBytes()).isEqualTo(8L * MIB);
    }

    @Test
    void a_failed_part_aborts_the_upload() throws IOException {
        String key = newKey();
        traffic.failPart(2);

        assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(random(20 * MIB))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(bucket)
                .hasRootCauseMessage("injected failure of part 2");

        assertThat(traffic.operations()).doesNotContain("CompleteMultipartUpload");
        assertThat(store.exists(key)).isFalse();
        assertNothingHalfStoredAt(key);
    }

    @Test
    void an_interrupted_upload_is_aborted_and_the_thread_stays_interrupted() throws Exception {
        String key = newKey();
        traffic.holdParts();
        var stillInterrupted = new AtomicBoolean();
        var upload = new FutureTask<Void>(() -> {
            try {
                store.put(key, new ByteArrayInputStream(random(40 * MIB)));
                return null;
            } finally {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        var uploader = new Thread(upload, "uploader");
        uploader.start();
        // Two parts are sending, a third is queued, and the uploader waits for a free buffer.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> traffic.partsHeld() == 2 && uploader.getState() == Thread.State.WAITING);

        uploader.interrupt();

        assertThatThrownBy(upload::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InterruptedIOException.class);
        assertThat(stillInterrupted).isTrue();
        assertThat(traffic.operations()).doesNotContain("CompleteMultipartUpload");
        assertThat(store.exists(key)).isFalse();
        assertNothingHalfStoredAt(key);
    }

    @Test
    void download_urls_are_valid_for_30_minutes() {
        var url = store.downloadUrl(newKey(), "DATABASE_abc123.dump");

        assertThat(url.getQuery()).contains("X-Amz-Expires=1800");
    }

    @Test
    void a_storage_failure_is_an_io_exception_naming_the_bucket() {
        try (var missing = storeFor("no-such-bucket-" + System.nanoTime())) {
            assertThatThrownBy(() -> missing.put(newKey(), new ByteArrayInputStream(random(10))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("no-such-bucket-");
        }
    }

    @Test
    void its_region_is_the_bucket_region() {
        assertThat(store.region()).isEqualTo(REGION);
    }
}
