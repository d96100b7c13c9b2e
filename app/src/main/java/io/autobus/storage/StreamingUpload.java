package io.autobus.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Streams one object into S3: a single PutObject when the content fits in the first part,
 * otherwise a multipart upload with {@value #PARTS_IN_FLIGHT} parts uploading while the next one
 * fills, aborted on any failure. At most {@code PARTS_IN_FLIGHT + 1} part buffers at once, borrowed
 * from the process's {@link UploadMemory} and given back as each part is stored.
 * Every request carries the CRC32C of its bytes, computed here as they are read (S3 refuses a part
 * or object whose bytes arrive otherwise), and the object a full-object CRC32C, which S3 checks at
 * completion and reports back.
 */
final class StreamingUpload {
    static final int PARTS_IN_FLIGHT = 2;
    private static final Logger LOG = LoggerFactory.getLogger(StreamingUpload.class);
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final PartSizes sizes;
    private final PartBuffers buffers;
    /** The first part failure, set before the part's buffer is given back so the reader sees it. */
    private final AtomicReference<Throwable> partFailure = new AtomicReference<>();

    StreamingUpload(S3Client s3, String bucket, String key, PartSizes sizes, UploadMemory memory) {
        this.buffers = new PartBuffers(PARTS_IN_FLIGHT + 1, memory);
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.sizes = sizes;
    }

    /**
     * What was stored.
     *
     * @param computed the whole object's CRC32C, computed over the bytes read
     * @param reported the whole object's CRC32C as S3 reported it for what it stored; null when it reported none
     */
    record Stored(StoredChecksum computed, String reported) {
    }

    Stored run(InputStream content) throws IOException {
        try {
            return upload(content);
        } finally {
            buffers.releaseAll();
        }
    }

    private Stored upload(InputStream content) throws IOException {
        var source = new PushbackInputStream(content, 1);
        var whole = new CRC32C();
        byte[] first = take(1);
        int length = source.readNBytes(first, 0, first.length);
        if (atEnd(source)) {
            whole.update(first, 0, length);
            String checksum = StoredChecksum.base64(whole);
            var stored = s3.putObject(put -> put.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                            .serverSideEncryption(ServerSideEncryption.AES256).checksumCRC32C(checksum),
                    body(first, length));
            return new Stored(StoredChecksum.crc32c(whole), stored.checksumCRC32C());
        }
        String uploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .serverSideEncryption(ServerSideEncryption.AES256)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        ExecutorService uploaders = Executors.newFixedThreadPool(PARTS_IN_FLIGHT,
                Thread.ofPlatform().name("s3-part-upload-", 1).daemon().factory());
        try {
            List<CompletedPart> parts = uploadParts(source, uploadId, first, length, whole, uploaders);
            String checksum = StoredChecksum.base64(whole);
            var completed = s3.completeMultipartUpload(complete -> complete.bucket(bucket).key(key).uploadId(uploadId)
                    .checksumCRC32C(checksum).checksumType(ChecksumType.FULL_OBJECT)
                    .multipartUpload(upload -> upload.parts(parts)));
            return new Stored(StoredChecksum.crc32c(whole), completed.checksumCRC32C());
        } catch (IOException | RuntimeException | Error e) {
            abort(uploadId, uploaders, e);
            throw e;
        } finally {
            uploaders.shutdownNow();
        }
    }

    PartBuffers buffers() {
        return buffers;
    }

    private List<CompletedPart> uploadParts(PushbackInputStream source, String uploadId, byte[] first, int firstLength,
                                            CRC32C whole, ExecutorService uploaders) throws IOException {
        var pending = new ArrayList<Future<CompletedPart>>();
        byte[] buffer = first;
        int length = firstLength;
        int number = 1;
        while (true) {
            pending.add(uploaders.submit(uploadPart(uploadId, number, buffer, length, checksumOf(buffer, length, whole))));
            if (atEnd(source)) {
                break;
            }
            number++;
            if (number > PartSizes.MAX_PARTS) {
                throw new IOException("the snapshot is larger than S3 allows (" + sizes.capacity() / (1024L * 1024 * 1024)
                        + " GiB in " + PartSizes.MAX_PARTS + " parts)");
            }
            buffer = take(number);
            throwIfAPartFailed();
            length = source.readNBytes(buffer, 0, buffer.length);
        }
        var parts = new ArrayList<CompletedPart>(pending.size());
        for (var part : pending) {
            parts.add(await(part));
        }
        return parts;
    }

    /** The part's CRC32C; the whole object's CRC32C takes in the part's bytes, in order. */
    private static String checksumOf(byte[] buffer, int length, CRC32C whole) {
        whole.update(buffer, 0, length);
        var part = new CRC32C();
        part.update(buffer, 0, length);
        return StoredChecksum.base64(part);
    }

    private Callable<CompletedPart> uploadPart(String uploadId, int number, byte[] buffer, int length, String checksum) {
        return () -> {
            try {
                String eTag = s3.uploadPart(part -> part.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) length).checksumCRC32C(checksum), body(buffer, length)).eTag();
                return CompletedPart.builder().partNumber(number).eTag(eTag).checksumCRC32C(checksum).build();
            } catch (Throwable t) {
                partFailure.compareAndSet(null, t);
                throw t;
            } finally {
                buffers.give(buffer);
            }
        };
    }

    /** Wraps the buffer without copying; a ByteArrayInputStream resets to its start, so the SDK can retry the part. */
    private static RequestBody body(byte[] buffer, int length) {
        return RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, length), length);
    }

    private byte[] take(int partNumber) throws InterruptedIOException {
        try {
            return buffers.take(sizes.sizeOf(partNumber));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    private void throwIfAPartFailed() throws IOException {
        Throwable failure = partFailure.get();
        if (failure != null) {
            throw rethrowable(failure);
        }
    }

    private CompletedPart await(Future<CompletedPart> part) throws IOException {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        }
    }

    /** Unchecked failures are thrown from here as they are; checked ones are returned for the caller to throw. */
    private static IOException rethrowable(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IOException(failure);
    }

    private InterruptedIOException interrupted() {
        return new InterruptedIOException("interrupted while uploading " + key + " to bucket " + bucket);
    }

    /** Stops the parts still uploading, then aborts, so that no part lands after the abort and no upload stays open. */
    private void abort(String uploadId, ExecutorService uploaders, Throwable cause) {
        // The SDK refuses to send requests from an interrupted thread: clear the flag, restore it after.
        boolean interrupted = Thread.interrupted();
        try {
            uploaders.shutdownNow();
            if (!uploaders.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warn("event=multipart_parts_still_running bucket={} key={} upload_id={}", bucket, key, uploadId);
            }
            s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
        } catch (InterruptedException | RuntimeException e) {
            interrupted |= e instanceof InterruptedException;
            cause.addSuppressed(e);
            LOG.warn("event=multipart_abort_failed bucket={} key={} upload_id={} error={}", bucket, key, uploadId, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean atEnd(PushbackInputStream source) throws IOException {
        int next = source.read();
        if (next < 0) {
            return true;
        }
        source.unread(next);
        return false;
    }
}
