package io.autobus.backup;

import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.jobs.WorkerBell;
import java.time.Clock;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;

/** A snapshot on request (dashboard, API): queued at once, with the job id that check_snapshot follows. */
public final class ManualSnapshots {
    private final AddonRepository addons;
    private final SnapshotRepository snapshots;
    private final JobRequestScheduler jobs;
    private final WorkerBell bell;
    private final Clock clock;

    public ManualSnapshots(AddonRepository addons, SnapshotRepository snapshots, JobRequestScheduler jobs, WorkerBell bell,
                           Clock clock) {
        this.addons = addons;
        this.snapshots = snapshots;
        this.jobs = jobs;
        this.bell = bell;
        this.clock = clock;
    }

    public record Requested(String snapshotId, UUID jobId) {
    }

    /**
     * @param configVar the database, e.g. {@code DATABASE_URL} (or its label, {@code DATABASE}); null for the first one
     * @throws IllegalArgumentException when the add-on has no such database
     */
    public Requested take(UUID addonId, String configVar, String description) {
        FoundDatabase database = pick(addonId, configVar);
        String id = SnapshotKeys.newId();
        UUID jobId = UUID.randomUUID();
        snapshots.createOrFind(new SnapshotRepository.NewSnapshot(id, addonId, database.configVar(), database.engine(),
                SnapshotKind.MANUAL, description, null, jobId, clock.instant()));
        jobs.enqueue(jobId, new BackupJob(id));
        bell.ring();
        return new Requested(id, jobId);
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
