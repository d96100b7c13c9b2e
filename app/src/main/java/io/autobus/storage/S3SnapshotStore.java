package io.autobus.storage;

import io.autobus.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Snapshots in one S3 bucket (or an S3-compatible server), encrypted at rest with SSE-S3. */
public final class S3SnapshotStore implements SnapshotStore, AutoCloseable {
    static final Duration DOWNLOAD_VALIDITY = Duration.ofMinutes(30);
    private static final String BAD_DIGEST = "BadDigest";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String region;
    private final PartSizes partSizes;
    private final UploadMemory memory;
    // What the uploads held at most, so tests can check that memory stays bounded.
    private final AtomicInteger peakPartBuffers = new AtomicInteger();
    private final AtomicLong peakPartBufferBytes = new AtomicLong();

    S3SnapshotStore(S3Client s3, S3Presigner presigner, String bucket, String region, PartSizes partSizes, UploadMemory memory) {
        this.memory = memory;
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.region = region;
        this.partSizes = partSizes;
    }

    /** A store for one bucket, with the credentials and endpoint of the settings, its uploads' buffers borrowed from {@code memory}. */
    public static S3SnapshotStore create(Settings.S3Settings settings, String bucket, String region, UploadMemory memory) {
        return new S3SnapshotStore(client(settings, region), presigner(settings, region), bucket, region,
                PartSizes.startingAt(settings.uploadPartMb()), memory);
    }

    static S3Client client(Settings.S3Settings settings, String region) {
        var builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(ApacheHttpClient.builder())
                // S3-compatible servers reject the SDK's default trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    static S3Presigner presigner(Settings.S3Settings settings, String region) {
        var builder = S3Presigner.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials(settings));
        settings.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(Settings.S3Settings settings) {
        if (settings.accessKeyId().isPresent() && settings.secretAccessKey().isPresent()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKeyId().get(), settings.secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * Each part and the whole object travel with their CRC32C: S3 refuses bytes that arrive otherwise
     * (BadDigest), and what it reports for the stored object must equal the CRC32C computed while
     * uploading, or the object is deleted and the put fails as corrupt.
     */
    @Override
    public StoredChecksum put(String key, InputStream content) throws IOException {
        abortStaleUploads(key);
        var upload = new StreamingUpload(s3, bucket, key, partSizes, memory);
        try {
            var stored = upload.run(content);
            String reported = stored.reported() != null ? stored.reported() : reportedChecksum(key);
            if (!stored.computed().value().equals(reported)) {
                throw discarded(key, reported == null
                        ? new CorruptUploadException("S3 reported no CRC32C checksum for " + location(key)
                                + ", so the stored copy cannot be proven to be what was uploaded; it was deleted")
                        : CorruptUploadException.differs(location(key), reported, stored.computed()));
            }
            return stored.computed();
        } catch (S3Exception e) {
            if (BAD_DIGEST.equals(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode())) {
                throw new CorruptUploadException("S3 refused " + location(key) + ": the checksum of the bytes it received differs"
                        + " from the one computed while uploading (BadDigest): the upload was corrupted on the way; nothing was stored", e);
            }
            throw failure("store", key, e);
        } catch (SdkException e) {
            throw failure("store", key, e);
        } finally {
            peakPartBuffers.accumulateAndGet(upload.buffers().peakHeld(), Math::max);
            peakPartBufferBytes.accumulateAndGet(upload.buffers().peakHeldBytes(), Math::max);
        }
    }

    /** The stored object's CRC32C, asked for when the upload's answer carried none (S3 keeps it with the object). */
    private String reportedChecksum(String key) {
        return s3.headObject(head -> head.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)).checksumCRC32C();
    }

    private CorruptUploadException discarded(String key, CorruptUploadException corrupt) {
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(key));
        } catch (SdkException e) {
            corrupt.addSuppressed(e);
        }
        return corrupt;
    }

    /**
     * A run killed mid-upload (SIGKILL, a lost dyno) cannot abort its multipart upload; the run that
     * takes the snapshot again aborts it first, so no upload stays open (and billed) for the key.
     */
    private void abortStaleUploads(String key) throws IOException {
        try {
            for (var stale : s3.listMultipartUploads(list -> list.bucket(bucket).prefix(key)).uploads()) {
                if (stale.key().equals(key)) {
                    s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(stale.uploadId()));
                }
            }
        } catch (SdkException e) {
            throw failure("clean up earlier uploads of", key, e);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return s3.getObject(get -> get.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(location(key));
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public URI downloadUrl(String key, String fileName) {
        String disposition = ContentDisposition.attachment(fileName);
        var presigned = presigner.presignGetObject(presign -> presign
                .signatureDuration(DOWNLOAD_VALIDITY)
                .getObjectRequest(get -> get.bucket(bucket).key(key).responseContentDisposition(disposition)));
        try {
            return presigned.url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned an invalid URL for " + location(key), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            s3.headObject(head -> head.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("look up", key, e);
        } catch (SdkException e) {
            throw failure("look up", key, e);
        }
    }

    @Override
    public String region() {
        return region;
    }

    public String bucket() {
        return bucket;
    }

    int peakPartBuffers() {
        return peakPartBuffers.get();
    }

    long peakPartBufferBytes() {
        return peakPartBufferBytes.get();
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }

    private IOException failure(String action, String key, SdkException e) {
        return new IOException("cannot " + action + " " + location(key) + ": " + e.getMessage(), e);
    }

    private String location(String key) {
        return "s3://" + bucket + "/" + key + " (" + region + ")";
    }

    @Override
    public String toString() {
        return "S3SnapshotStore[" + bucket + " in " + region + "]";
    }
}
