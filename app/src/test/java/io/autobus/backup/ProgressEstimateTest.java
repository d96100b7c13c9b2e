package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.dump.DumpProgress.View;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Percent and time to go of a running snapshot, from what its dump passed and what is expected. */
class ProgressEstimateTest {
    private static final Instant STARTED = Instant.parse("2026-03-01T03:00:00Z");

    @Test
    void forty_percent_done_in_a_minute_leaves_a_minute_and_a_half() {
        var estimate = ProgressEstimate.of(new View(400, 1000L, "public.orders"), STARTED, STARTED.plusSeconds(60));

        assertThat(estimate).isEqualTo(new ProgressEstimate(400, 40, 90L, "public.orders"));
    }

    @Test
    void percent_is_rounded_down_and_time_to_go_up() {
        var estimate = ProgressEstimate.of(new View(1, 3L, null), STARTED, STARTED.plusSeconds(10));

        assertThat(estimate.percent()).isEqualTo(33);
        assertThat(estimate.etaSeconds()).isEqualTo(20);
    }

    @Test
    void all_the_expected_bytes_passed_is_99_percent_not_100_and_no_promise_of_when() {
        var exactly = ProgressEstimate.of(new View(1000, 1000L, "public.orders"), STARTED, STARTED.plusSeconds(60));
        var beyond = ProgressEstimate.of(new View(5000, 1000L, null), STARTED, STARTED.plusSeconds(60));

        assertThat(exactly.percent()).isEqualTo(99);
        assertThat(exactly.etaSeconds()).as("the file is still being stored").isNull();
        assertThat(beyond.percent()).isEqualTo(99);
        assertThat(beyond.etaSeconds()).as("the expectation was wrong: how much is left is not known").isNull();
    }

    @Test
    void nothing_expected_yet_gives_bytes_but_no_percent_and_no_time() {
        var estimate = ProgressEstimate.of(new View(4096, null, "public.orders"), STARTED, STARTED.plusSeconds(60));

        assertThat(estimate).isEqualTo(new ProgressEstimate(4096, null, null, "public.orders"));
    }

    @Test
    void no_bytes_yet_gives_zero_percent_and_no_time() {
        var estimate = ProgressEstimate.of(new View(0, 1000L, null), STARTED, STARTED.plusSeconds(60));

        assertThat(estimate).isEqualTo(new ProgressEstimate(0, 0, null, null));
    }

    @Test
    void an_empty_database_expects_nothing_and_gets_no_percent() {
        assertThat(ProgressEstimate.of(new View(0, 0L, null), STARTED, STARTED.plusSeconds(1)).percent()).isNull();
    }

    @Test
    void before_the_first_report_it_is_zero_bytes_and_unknown() {
        assertThat(ProgressEstimate.of(null, STARTED, STARTED.plusSeconds(1))).isEqualTo(new ProgressEstimate(0, null, null, null));
    }

    @Test
    void a_stalled_dump_s_time_to_go_grows_as_the_run_goes_on() {
        var view = new View(500, 1000L, "public.orders");

        var after10 = ProgressEstimate.of(view, STARTED, STARTED.plusSeconds(10));
        var after100 = ProgressEstimate.of(view, STARTED, STARTED.plusSeconds(100));

        assertThat(after10.etaSeconds()).isEqualTo(10);
        assertThat(after100.etaSeconds()).isEqualTo(100);
    }

    @Test
    void no_time_has_passed_gives_no_time_to_go() {
        assertThat(ProgressEstimate.of(new View(500, 1000L, null), STARTED, STARTED).etaSeconds()).isNull();
    }

    @Test
    void terabytes_over_hours_do_not_overflow() {
        long tenTerabytes = 10_000_000_000_000L;
        var estimate = ProgressEstimate.of(new View(tenTerabytes / 4, tenTerabytes, null), STARTED, STARTED.plusSeconds(6 * 3600));

        assertThat(estimate.percent()).isEqualTo(25);
        assertThat(estimate.etaSeconds()).isEqualTo(18 * 3600);
    }

    @Test
    void only_a_running_snapshot_has_progress() {
        assertThat(ProgressEstimate.of(snapshot(SnapshotStatus.PENDING), STARTED)).isNull();
        assertThat(ProgressEstimate.of(snapshot(SnapshotStatus.COMPLETED), STARTED)).isNull();
        assertThat(ProgressEstimate.of(snapshot(SnapshotStatus.FAILED), STARTED)).isNull();
        assertThat(ProgressEstimate.of(snapshot(SnapshotStatus.RUNNING), STARTED.plusSeconds(60)))
                .isEqualTo(new ProgressEstimate(400, 40, 90L, "public.orders"));
    }

    private static Snapshot snapshot(SnapshotStatus status) {
        return new Snapshot("a".repeat(24), java.util.UUID.randomUUID(), "DATABASE_URL", "postgresql", null, SnapshotKind.MANUAL, status,
                null, null, null, STARTED, STARTED, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, new View(400, 1000L, "public.orders"), null, null, null);
    }
}
