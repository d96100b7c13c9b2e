package io.autobus.backup;

import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.addon.Plan;
import io.autobus.jobs.WorkerBell;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;

/**
 * A snapshot on request (dashboard, API): queued at once, with the job id that check_snapshot
 * follows. Bounded: one pending or running manual snapshot per database (asking again answers
 * with that one) and at most the plan's {@link Plan#queuedSnapshots()} per add-on.
 */
public final class ManualSnapshots {
    /** A run is killed at the backup time limit; one "running" for longer than that and this is a row its dead worker left. */
    private static final Duration FAILING_TAKES_AT_MOST = Duration.ofMinutes(10);
    private static final Duration REENQUEUED_AFTER = Duration.ofMinutes(1);

    private final AddonRepository addons;
    private final SnapshotRepository snapshots;
    private final JobRequestScheduler jobs;
    private final WorkerBell bell;
    private final Duration backupTimeout;
    private final Clock clock;

    /** @param backupTimeout {@code AUTOBUS_BACKUP_TIMEOUT}: how long a run may be "running" */
    public ManualSnapshots(AddonRepository addons, SnapshotRepository snapshots, JobRequestScheduler jobs, WorkerBell bell,
                           Duration backupTimeout, Clock clock) {
        this.addons = addons;
        this.snapshots = snapshots;
        this.jobs = jobs;
        this.bell = bell;
        this.backupTimeout = backupTimeout;
        this.clock = clock;
    }

    /** @param alreadyInProgress true when this is a snapshot asked for earlier, still pending or running */
    public record Requested(String snapshotId, UUID jobId, String configVar, boolean alreadyInProgress) {
    }

    /** The add-on has as many manual snapshots pending or running as its plan allows. */
    public static final class QueueFullException extends RuntimeException {
        QueueFullException(Plan plan, int inProgress) {
            super("This add-on already has " + inProgress + " snapshot" + (inProgress == 1 ? "" : "s")
                    + " waiting or running, the most the " + plan.slug() + " plan allows at once."
                    + " Take another when one of them has finished.");
        }
    }

    /**
     * @param configVar the database, e.g. {@code DATABASE_URL} (or its label, {@code DATABASE}); null for the first one
     * @throws IllegalArgumentException when the add-on has no such database
     * @throws QueueFullException when the add-on's plan allows no more snapshots in progress
     */
    public Requested take(UUID addonId, String configVar, String description) {
        FoundDatabase database = pick(addonId, configVar);
        Plan plan = addons.find(addonId).orElseThrow(() -> new IllegalArgumentException("No such add-on.")).plan();
        String id = SnapshotKeys.newId();
        UUID jobId = UUID.randomUUID();
        var now = clock.instant();
        var outcome = snapshots.createManual(new SnapshotRepository.NewSnapshot(id, addonId, database.configVar(), database.engine(),
                SnapshotKind.MANUAL, description, null, jobId, now), plan.queuedSnapshots(),
                now.minus(backupTimeout).minus(FAILING_TAKES_AT_MOST));
        return switch (outcome) {
            case SnapshotRepository.ManualRequest.Created created -> {
                enqueue(jobId, created.snapshotId());
                yield new Requested(created.snapshotId(), jobId, database.configVar(), false);
            }
            case SnapshotRepository.ManualRequest.AlreadyInProgress existing -> {
                if (existing.snapshot().status() == SnapshotStatus.PENDING
                        && existing.snapshot().createdAt().isBefore(now.minus(REENQUEUED_AFTER))) {
                    // Its job again, under its own id: JobRunr skips an id it has (a failed insert, hence not
                    // for every request of a burst); this heals a request whose process stopped between the row and the job.
                    enqueue(existing.snapshot().jobId(), existing.snapshot().id());
                }
                yield new Requested(existing.snapshot().id(), existing.snapshot().jobId(), database.configVar(), true);
            }
            case SnapshotRepository.ManualRequest.QueueFull full -> throw new QueueFullException(plan, full.inProgress());
        };
    }

    private void enqueue(UUID jobId, String snapshotId) {
        jobs.enqueue(jobId, new BackupJob(snapshotId));
        bell.ring();
    }

    private FoundDatabase pick(UUID addonId, String configVar) {
        var databases = addons.databases(addonId);
        if (databases.isEmpty()) {
            throw new IllegalArgumentException("No database is known for this add-on yet.");
        }
        if (configVar == null || configVar.isBlank()) {
            return databases.getFirst();
        }
        return databases.stream()
                .filter(db -> db.configVar().equalsIgnoreCase(configVar) || db.label().equalsIgnoreCase(configVar))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No database " + configVar + ". Known: "
                        + String.join(", ", databases.stream().map(FoundDatabase::configVar).toList()) + "."));
    }
}
