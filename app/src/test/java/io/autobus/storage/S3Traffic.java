package io.autobus.storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Watches what a store's S3 client sends to the real server: records every request, counts the
 * parts uploading at once, and can make a part fail or hold parts until released.
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

    void failPart(int number) {
        failingPart = number;
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
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (context.request() instanceof UploadPartRequest) {
            partsUploading.decrementAndGet();
        }
    }
}
