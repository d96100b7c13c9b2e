package io.autobus.verify;

import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monthly deep check: the newest completed snapshot of each database is downloaded and restored
 * again (the verification "Verify again" runs) once no stored copy of that database has been restored
 * for {@link #EVERY} (a verification in flight restores the dump, not the stored copy). Its
 * stored checksum proves the upload arrived intact; this proves the copy still restores. Each due
 * snapshot is queued once whatever the rounds (the job id is its own and its last check's); at most
 * {@link #PER_ROUND} a round, the longest unchecked first, so a backlog is spread over the rounds.
 */
public final class DeepCheckDispatcher {
    static final Duration EVERY = Duration.ofDays(30);
    static final int PER_ROUND = 100;
    private static final Logger LOG = LoggerFactory.getLogger(DeepCheckDispatcher.class);

    private final SnapshotRepository snapshots;
    private final JobRequestScheduler jobs;
    private final Clock clock;

    public DeepCheckDispatcher(SnapshotRepository snapshots, JobRequestScheduler jobs, Clock clock) {
        this.snapshots = snapshots;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** One round; returns how many deep checks it queued (again, for those queued before and not run yet). */
    public int dispatch() {
        var due = snapshots.dueForDeepCheck(clock.instant().minus(EVERY), PER_ROUND);
        for (var check : due) {
            Snapshot snapshot = check.snapshot();
            Instant lastChecked = check.lastRestored();
            jobs.enqueue(UUID.nameUUIDFromBytes(("deep-check:" + snapshot.id() + ":" + lastChecked).getBytes(StandardCharsets.UTF_8)),
                    new VerifyJob(snapshot.id()));
            LOG.info("event=deep_check_queued snapshot={} addon={} database={} last_checked={}", snapshot.id(), snapshot.addonId(),
                    snapshot.configVar(), lastChecked);
        }
        return due.size();
    }
}
