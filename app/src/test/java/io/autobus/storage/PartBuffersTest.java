package io.autobus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PartBuffersTest {
    private final PartBuffers buffers = new PartBuffers(3);

    @Test
    void a_buffer_given_back_is_reused_rather_than_allocated_again() throws InterruptedException {
        byte[] first = buffers.take(100);
        buffers.give(first);

        byte[] second = buffers.take(100);

        assertThat(second).isSameAs(first);
        assertThat(buffers.peakHeld()).isEqualTo(1);
    }

    @Test
    void taking_more_than_the_capacity_waits_until_a_buffer_is_given_back() throws Exception {
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
    void larger_parts_replace_smaller_buffers_instead_of_adding_to_them() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            buffers.give(buffers.take(100));
        }
        byte[] a = buffers.take(100);
        byte[] b = buffers.take(100);
        buffers.give(a);
        buffers.give(b);

        byte[] larger = buffers.take(1000);

        assertThat(larger).hasSize(1000);
        assertThat(buffers.peakHeld()).isEqualTo(2);
        assertThat(buffers.peakHeldBytes()).isEqualTo(1100);
    }
}
