package io.autobus.backup;

import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.addon.Plan;
import io.autobus.jobs.WorkerBell;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;

/**
 * A snapshot on request (dashboard, API): queued at once, with the job id that check_snapshot
 * follows. Bounded: one pending or running manual snapshot per database (asking again answers
 * with that one, as does the same request repeated within seconds), so at most one per database
 * the plan covers is in progress; and only of databases the plan covers.
 * A plan that caps how many manual snapshots are held refuses one more, naming the oldest to
 * delete: manual snapshots are never deleted for the customer.
 */
public final class ManualSnapshots {
    /** A run is killed at the backup time limit; one "running" for longer than that and this is a row its dead worker left. */
    static final Duration FAILING_TAKES_AT_MOST = Duration.ofMinutes(10);
    private static final Duration REENQUEUED_AFTER = Duration.ofMinutes(1);
    /** A request identical to one this recent is the same request (a double click, a retried POST). */
    static final Duration REPEATED_WITHIN = Duration.ofSeconds(10);

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

    /** @param existing the snapshot asked for earlier that answers this request (in progress, or just asked for) */
    public record Requested(String snapshotId, UUID jobId, String configVar, Snapshot existing) {
        public boolean alreadyAsked() {
            return existing != null;
        }

        /** What the customer is told when this request was answered by an earlier snapshot. */
        public String message() {
            return switch (existing.status()) {
                case PENDING, RUNNING -> "A snapshot of " + configVar + " is already in progress, so no other was queued";
                default -> "The same snapshot of " + configVar + " was asked for moments ago, so no other was taken";
            };
        }
    }

    /** The add-on holds as many manual snapshots as its plan allows: one must be deleted first. */
    public static final class CapReachedException extends RuntimeException {
        CapReachedException(Plan plan, int held, List<Snapshot> oldest) {
            super("The " + plan.slug() + " plan keeps " + plan.manualSnapshotsText() + " manual snapshots and this add-on has " + held
                    + ", so no other was taken. Delete " + (oldest.size() == 1 ? "one" : oldest.size()) + " to take another; the oldest: "
                    + String.join("; ", oldest.stream().map(CapReachedException::describe).toList()) + "."
                    + plan.withMoreManualSnapshots().map(more -> " Or upgrade to " + more.slug() + " (" + more.manualSnapshotsText()
                    + " manual snapshots): " + more.upgradeCommand() + ".").orElse(""));
        }

        private static String describe(Snapshot snapshot) {
            return snapshot.id() + " (" + snapshot.configVar() + ", " + DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC)
                    .format(snapshot.createdAt()) + (snapshot.description() == null ? "" : ", \"" + snapshot.description() + "\"") + ")";
        }
    }

    /**
     * @param configVar the database, e.g. {@code DATABASE_URL} (or its label, {@code DATABASE}); null for the first one
     * @throws IllegalArgumentException when the add-on has no such database, or its plan does not cover it
     * @throws CapReachedException when the add-on holds as many manual snapshots as its plan allows
     */
    public Requested take(UUID addonId, String configVar, String description) {
        Addon addon = addons.find(addonId).orElseThrow(() -> new IllegalArgumentException("No such add-on."));
        Plan plan = addon.plan();
        FoundDatabase database = pick(addon, configVar);
        String id = SnapshotKeys.newId();
        UUID jobId = UUID.randomUUID();
        var now = clock.instant();
        var outcome = snapshots.createManual(new SnapshotRepository.NewSnapshot(id, addonId, database.configVar(), database.engine(),
                SnapshotKind.MANUAL, description, null, jobId, now), new SnapshotRepository.ManualRules(
                now.minus(backupTimeout).minus(FAILING_TAKES_AT_MOST), plan.manualSnapshots(), now.minus(REPEATED_WITHIN)));
        return switch (outcome) {
            case SnapshotRepository.ManualRequest.Created created -> {
                enqueue(jobId, created.snapshotId());
                yield new Requested(created.snapshotId(), jobId, database.configVar(), null);
            }
            case SnapshotRepository.ManualRequest.Existing existing -> {
                if (existing.snapshot().status() == SnapshotStatus.PENDING
                        && existing.snapshot().createdAt().isBefore(now.minus(REENQUEUED_AFTER))) {
                    // Its job again, under its own id: JobRunr skips an id it has (a failed insert, hence not
                    // for every request of a burst); this heals a request whose process stopped between the row and the job.
                    enqueue(existing.snapshot().jobId(), existing.snapshot().id());
                }
                yield new Requested(existing.snapshot().id(), existing.snapshot().jobId(), database.configVar(), existing.snapshot());
            }
            case SnapshotRepository.ManualRequest.CapReached cap -> throw new CapReachedException(plan, cap.held(), cap.oldest());
        };
    }

    private void enqueue(UUID jobId, String snapshotId) {
        jobs.enqueue(jobId, new BackupJob(snapshotId));
        bell.ring();
    }

    private FoundDatabase pick(Addon addon, String configVar) {
        var coverage = addons.coverage(addon);
        var databases = new ArrayList<>(coverage.covered());
        databases.addAll(coverage.notCovered());
        if (databases.isEmpty()) {
            throw new IllegalArgumentException("No database is known for this add-on yet.");
        }
        if (configVar == null || configVar.isBlank()) {
            return databases.getFirst();
        }
        FoundDatabase database = databases.stream()
                .filter(db -> db.configVar().equalsIgnoreCase(configVar) || db.label().equalsIgnoreCase(configVar))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No database " + configVar + ". Known: "
                        + String.join(", ", databases.stream().map(FoundDatabase::configVar).toList()) + "."));
        if (!coverage.covers(database.configVar())) {
            throw new IllegalArgumentException(coverage.whyNotCovered(database.configVar()));
        }
        return database;
    }
}
