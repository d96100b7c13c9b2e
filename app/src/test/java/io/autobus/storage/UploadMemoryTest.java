package io.autobus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class UploadMemoryTest {
    private final UploadMemory memory = new UploadMemory(1000, UploadMemory.LONGEST_WAIT);

    @Test
    void a_buffer_given_back_is_reused_for_the_next_part_of_its_size() throws InterruptedException {
        byte[] first = memory.borrow(400);
        memory.giveBack(first);

        assertThat(memory.borrow(400)).isSameAs(first);
        assertThat(memory.existingBytes()).isEqualTo(400);
    }

    @Test
    void a_buffer_the_budget_has_no_room_for_waits_until_enough_is_given_back() throws Exception {
        byte[] a = memory.borrow(400);
        memory.borrow(400);
        var third = borrowLater(400);
        await().atMost(Duration.ofSeconds(5)).until(() -> third.thread.getState() == Thread.State.TIMED_WAITING);
        assertThat(third.buffer).isNotDone();

        memory.giveBack(a);

        assertThat(third.buffer.get()).isSameAs(a);
        assertThat(memory.peakLentBytes()).isEqualTo(800);
    }

    @Test
    void a_large_buffer_is_not_overtaken_by_smaller_ones_asked_for_after_it() throws Exception {
        byte[] a = memory.borrow(600);
        var large = borrowLater(900);
        await().atMost(Duration.ofSeconds(5)).until(() -> large.thread.getState() == Thread.State.TIMED_WAITING);
        var small = borrowLater(200); // would fit now, but the large one asked first
        await().atMost(Duration.ofSeconds(5)).until(() -> small.thread.getState() == Thread.State.TIMED_WAITING);
        assertThat(small.buffer).isNotDone();

        memory.giveBack(a);

        assertThat(large.buffer.get()).hasSize(900);
        assertThat(small.buffer).isNotDone();
        memory.giveBack(large.buffer.get());
        assertThat(small.buffer.get()).hasSize(200);
    }

    @Test
    void kept_buffers_of_another_size_are_let_go_so_that_what_exists_stays_within_the_budget() throws InterruptedException {
        memory.giveBack(memory.borrow(300));
        memory.giveBack(memory.borrow(300 + 1));

        byte[] large = memory.borrow(900);

        assertThat(large).hasSize(900);
        assertThat(memory.existingBytes()).isLessThanOrEqualTo(1000);
    }

    @Test
    void a_buffer_forgotten_after_a_failed_upload_frees_its_room_and_is_never_lent_again() throws InterruptedException {
        byte[] stuck = memory.borrow(1000);

        memory.forget(stuck);

        assertThat(memory.borrow(1000)).isNotSameAs(stuck);
    }

    @Test
    void an_upload_that_finds_no_room_within_the_longest_wait_fails_saying_why() throws InterruptedException {
        var tight = new UploadMemory(1000, java.time.Duration.ofSeconds(1));
        tight.borrow(1000); // the part another upload fills from a database that sends its rows slowly

        assertThatThrownBy(() -> tight.borrow(1)).isInstanceOf(UploadMemory.NoRoomException.class)
                .hasMessageContaining("no upload memory came free for 1 s").hasMessageContaining("AUTOBUS_UPLOAD_MEMORY_MB");
    }

    @Test
    void a_part_larger_than_the_budget_is_refused() {
        assertThatThrownBy(() -> memory.borrow(1001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("larger than the upload memory");
    }

    private record Later(Thread thread, CompletableFuture<byte[]> buffer) {
    }

    private Later borrowLater(int size) {
        var buffer = new CompletableFuture<byte[]>();
        var thread = Thread.ofPlatform().start(() -> {
            try {
                buffer.complete(memory.borrow(size));
            } catch (InterruptedException e) {
                buffer.completeExceptionally(e);
            }
        });
        return new Later(thread, buffer);
    }
}
