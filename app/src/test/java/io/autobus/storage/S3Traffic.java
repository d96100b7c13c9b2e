package io.autobus.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Watches what a store's S3 client sends to the real server: records every request, counts the
 * parts uploading at once, and can make a part fail, hold parts until released, alter a part's
 * bytes after its checksum was computed, or alter the checksum the server reports for an object.
 */
final class S3Traffic implements ExecutionInterceptor {
    /** A request as it went over the wire, with the SDK's name for its operation. */
    record Sent(String operation, SdkHttpRequest http) {
        Optional<String> header(String name) {
            return http.firstMatchingHeader(name);
        }
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger partsUploading = new AtomicInteger();
    private final AtomicInteger mostPartsUploading = new AtomicInteger();
    private final AtomicInteger partsHeld = new AtomicInteger();
    private volatile int failingPart = -1;
    private volatile CountDownLatch holdParts;
    private volatile int corruptedPart = -1;
    private volatile boolean misreportChecksums;
    private volatile boolean withholdUploadChecksums;
    private volatile boolean withholdHeadChecksums;

    void failPart(int number) {
        failingPart = number;
    }

    /** One bit of the part's bytes flips on the way, after the store computed its checksum. */
    void corruptPart(int number) {
        corruptedPart = number;
    }

    /** The CRC32C the server reports for a stored object (PutObject, CompleteMultipartUpload) reaches the store altered. */
    void misreportChecksums() {
        misreportChecksums = true;
    }

    /** The answers to PutObject and CompleteMultipartUpload reach the store without a checksum; with {@code alsoHead}, HeadObject's too. */
    void withholdChecksums(boolean alsoHead) {
        withholdUploadChecksums = true;
        withholdHeadChecksums = alsoHead;
    }

    /** The same CRC32C with one bit flipped. */
    static String altered(String base64) {
        byte[] crc = Base64.getDecoder().decode(base64);
        crc[0] ^= 1;
        return Base64.getEncoder().encodeToString(crc);
    }

    /** Parts wait before they are sent, until {@link #releaseParts()} or their thread is interrupted. */
    void holdParts() {
        holdParts = new CountDownLatch(1);
    }

    void releaseParts() {
        if (holdParts != null) {
            holdParts.countDown();
        }
    }

    int partsHeld() {
        return partsHeld.get();
    }

    int mostPartsUploading() {
        return mostPartsUploading.get();
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    List<String> operations() {
        return sent.stream().map(Sent::operation).toList();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof UploadPartRequest part && part.partNumber() == failingPart) {
            throw SdkClientException.create("injected failure of part " + failingPart);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        sent.add(new Sent(context.request().getClass().getSimpleName().replace("Request", ""), context.httpRequest()));
        if (context.request() instanceof UploadPartRequest) {
            mostPartsUploading.accumulateAndGet(partsUploading.incrementAndGet(), Math::max);
            var hold = holdParts;
            if (hold != null) {
                partsHeld.incrementAndGet();
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw AbortedException.create("part upload interrupted");
                } finally {
                    partsHeld.decrementAndGet();
                }
            }
        }
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof UploadPartRequest part && part.partNumber() == corruptedPart && context.requestBody().isPresent()) {
            try (var in = context.requestBody().get().contentStreamProvider().newStream()) {
                byte[] bytes = in.readAllBytes();
                bytes[bytes.length / 2] ^= 1;
                return Optional.of(RequestBody.fromBytes(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return context.requestBody();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (misreportChecksums && context.response() instanceof CompleteMultipartUploadResponse complete) {
            return complete.toBuilder().checksumCRC32C(altered(complete.checksumCRC32C())).build();
        }
        if (misreportChecksums && context.response() instanceof PutObjectResponse put) {
            return put.toBuilder().checksumCRC32C(altered(put.checksumCRC32C())).build();
        }
        if (withholdUploadChecksums && context.response() instanceof CompleteMultipartUploadResponse complete) {
            return complete.toBuilder().checksumCRC32C(null).build();
        }
        if (withholdUploadChecksums && context.response() instanceof PutObjectResponse put) {
            return put.toBuilder().checksumCRC32C(null).build();
        }
        if (withholdHeadChecksums && context.response() instanceof HeadObjectResponse head) {
            return head.toBuilder().checksumCRC32C(null).build();
        }
        return context.response();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (context.request() instanceof UploadPartRequest) {
            partsUploading.decrementAndGet();
        }
    }
}
