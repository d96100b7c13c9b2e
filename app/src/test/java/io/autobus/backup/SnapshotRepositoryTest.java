package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.dump.DumpProgress.View;
import io.autobus.support.TestApp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A running snapshot's progress in the metadata store: recorded while it runs, gone when the run ends. */
class SnapshotRepositoryTest {
    private final TestApp app = TestApp.shared();
    private final SnapshotRepository snapshots = new SnapshotRepository(app.db);
    private final Instant now = app.clock.instant();

    @Test
    void progress_recorded_while_running_is_read_back_as_it_was() {
        String id = running();

        snapshots.recordProgress(id, new View(4096, 10_000L, "public.\"Orders\" ✓"));

        assertThat(snapshots.find(id).orElseThrow().progress()).isEqualTo(new View(4096, 10_000L, "public.\"Orders\" ✓"));
        snapshots.recordProgress(id, new View(8192, null, null));
        assertThat(snapshots.find(id).orElseThrow().progress()).isEqualTo(new View(8192, null, null));
    }

    @Test
    void a_running_snapshot_has_no_progress_before_the_first_report() {
        assertThat(snapshots.find(running()).orElseThrow().progress()).isNull();
    }

    @Test
    void completing_clears_the_progress_and_a_late_report_does_not_bring_it_back() {
        String id = running();
        snapshots.recordProgress(id, new View(4096, 10_000L, "public.orders"));

        snapshots.complete(id, new SnapshotRepository.Completion("15.4", 10, "ab".repeat(32), "eu-west-1", "k", null, null), now, now);
        snapshots.recordProgress(id, new View(9999, 10_000L, "public.orders"));

        assertThat(snapshots.find(id).orElseThrow().progress()).isNull();
    }

    @Test
    void failing_clears_the_progress() {
        String id = running();
        snapshots.recordProgress(id, new View(4096, 10_000L, "public.orders"));

        snapshots.fail(id, "pg_dump: connection lost", now, now, true);

        assertThat(snapshots.find(id).orElseThrow().progress()).isNull();
    }

    @Test
    void a_run_started_again_does_not_show_the_progress_of_the_one_before() {
        String id = running();
        snapshots.recordProgress(id, new View(4096, 10_000L, "public.orders"));

        snapshots.markRunning(id, now.plusSeconds(60)); // JobRunr repeats the job of a worker that died

        assertThat(snapshots.find(id).orElseThrow().progress()).isNull();
    }

    @Test
    void a_pending_snapshot_takes_no_progress() {
        String id = pending();

        snapshots.recordProgress(id, new View(4096, 10_000L, "public.orders"));

        assertThat(snapshots.find(id).orElseThrow().progress()).isNull();
    }

    private String running() {
        String id = pending();
        snapshots.markRunning(id, now);
        return id;
    }

    private String pending() {
        UUID addon = app.provisionedAddon("travel");
        return snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon, "DATABASE_URL", "postgresql",
                SnapshotKind.MANUAL, null, null, UUID.randomUUID(), now));
    }
}
