package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.dump.DumpProgress.View;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A running dump's progress goes to its snapshot at most once a second, never breaks the backup, and stops with it. */
class ProgressReporterTest {
    private record Write(long atNanos, View progress, Thread thread) {
    }

    private final List<Write> writes = new CopyOnWriteArrayList<>();

    private void record(View progress) {
        writes.add(new Write(System.nanoTime(), progress, Thread.currentThread()));
    }

    @Test
    void a_dump_that_keeps_moving_is_recorded_once_a_second_at_most() {
        var bytes = new AtomicLong();

        try (var reporter = ProgressReporter.start("s1", () -> new View(bytes.addAndGet(100), 1000L, "public.orders"), this::record,
                ProgressReporter.EVERY)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> writes.size() >= 3);
        }

        for (int i = 1; i < writes.size(); i++) {
            assertThat(Duration.ofNanos(writes.get(i).atNanos() - writes.get(i - 1).atNanos()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(990));
        }
        assertThat(writes.getFirst().progress()).isEqualTo(new View(100, 1000L, "public.orders"));
    }

    @Test
    void what_did_not_move_is_not_written_again() {
        var bytes = new AtomicLong(0);

        try (var reporter = ProgressReporter.start("s2", () -> new View(bytes.get(), null, null), this::record, Duration.ofMillis(20))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> writes.size() == 1);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> writes.size() == 1);
            bytes.set(500);
            await().atMost(Duration.ofSeconds(5)).until(() -> writes.size() == 2);
        }

        assertThat(writes).extracting(Write::progress).containsExactly(new View(0, null, null), new View(500, null, null));
    }

    @Test
    void failing_writes_are_skipped_and_the_next_ones_still_tried() {
        var attempts = new AtomicLong();
        var bytes = new AtomicLong();
        ProgressReporter.Sink flaky = progress -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new IllegalStateException("metadata store unavailable");
            }
            record(progress);
        };

        try (var reporter = ProgressReporter.start("s3", () -> new View(bytes.addAndGet(1), null, null), flaky, Duration.ofMillis(20))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !writes.isEmpty());
        }

        assertThat(attempts.get()).isGreaterThan(2);
    }

    @Test
    void closing_stops_the_writes_and_ends_the_thread() {
        var bytes = new AtomicLong();
        var reporter = ProgressReporter.start("s4", () -> new View(bytes.addAndGet(1), null, null), this::record, Duration.ofMillis(20));
        await().atMost(Duration.ofSeconds(5)).until(() -> !writes.isEmpty());

        reporter.close();
        int written = writes.size();

        assertThat(writes.getFirst().thread().isAlive()).isFalse();
        assertThat(writes.getFirst().thread().getName()).isEqualTo("progress-s4");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> writes.size() == written);
    }

    @Test
    void a_dump_shorter_than_a_second_is_never_written() {
        var reporter = ProgressReporter.start("s5", () -> new View(1, null, null), this::record, ProgressReporter.EVERY);

        reporter.close();

        assertThat(writes).isEmpty();
    }
}
