package io.autobus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PartBuffersTest {
    private final UploadMemory memory = new UploadMemory(10_000, UploadMemory.LONGEST_WAIT);
    private final PartBuffers buffers = new PartBuffers(3, memory);

    @Test
    void taking_more_than_an_upload_s_capacity_waits_until_a_buffer_is_given_back() throws Exception {
        byte[] first = buffers.take(100);
        buffers.take(100);
        buffers.take(100);
        var fourth = new CompletableFuture<byte[]>();
        var taker = Thread.ofPlatform().start(() -> {
            try {
                fourth.complete(buffers.take(100));
            } catch (InterruptedException e) {
                fourth.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> taker.getState() == Thread.State.WAITING);
        assertThat(fourth).isNotDone();

        buffers.give(first);

        await().atMost(Duration.ofSeconds(5)).until(fourth::isDone);
        assertThat(fourth.get()).isSameAs(first);
        assertThat(buffers.peakHeld()).isEqualTo(3);
    }

    @Test
    void what_an_upload_still_holds_when_it_ends_goes_back_to_the_budget_once() throws InterruptedException {
        byte[] uploading = buffers.take(4_000);
        buffers.take(4_000); // the part that was filling when the dump failed

        buffers.releaseAll();
        buffers.give(uploading); // its request ended after the upload was given up

        assertThat(memory.borrow(10_000)).as("the whole budget is free again").hasSize(10_000);
    }
}
