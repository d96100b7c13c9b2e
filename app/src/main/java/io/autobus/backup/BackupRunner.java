package io.autobus.backup;

import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.config.Settings;
import io.autobus.crypto.AgeInputStream;
import io.autobus.crypto.AgeRecipient;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.DatabaseStatistics;
import io.autobus.dump.Dump;
import io.autobus.dump.Dumpers;
import io.autobus.jobs.BusyException;
import io.autobus.jobs.Deadline;
import io.autobus.storage.SnapshotStore;
import io.autobus.storage.SnapshotStores;
import io.autobus.storage.StoredChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one snapshot: the only place the backup stream is wired —
 * database tool (and gzip) → age encryption to the customer's own key, when set → measured (size,
 * SHA-256) → snapshot store (which checks and returns the stored copy's checksum), streaming end to end;
 * beside it, the dump's progress is recorded on the snapshot while it runs.
 * A failing tool or store leaves no object behind (the store's contract) and a failed record
 * with the tool's own words. The object's key is recorded before the upload starts, so that a file
 * stored by a run whose completion could not be recorded is still found (by
 * {@link LeftoverObjectsSweeper} and at deprovision). Safe to run again: a finished snapshot is left alone.
 * Bounded: at most {@code AUTOBUS_ADDON_BACKUPS_AT_ONCE} runs per add-on at once, and a run
 * that outlives {@code AUTOBUS_BACKUP_TIMEOUT} has its dump killed and is failed, for good.
 */
public final class BackupRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BackupRunner.class);

    private final SnapshotRepository snapshots;
    private final AddonRepository addons;
    private final BackupTargets targets;
    private final Dumpers dumpers;
    private final SnapshotStores stores;
    private final DatabaseLocks locks;
    private final Outcomes outcomes;
    private final Settings.JobLimits limits;
    private final Clock clock;

    /** What happens beside and after a run: verification of a new snapshot (in flight, or after), telling the owner about a failure. */
    public interface Outcomes {
        Outcomes NONE = new Outcomes() {
            @Override
            public void completed(Snapshot snapshot, InFlight verifying) {
            }

            @Override
            public void failed(Snapshot snapshot, String error) {
            }
        };

        /**
         * A verification to run while the snapshot is stored; {@link InFlight#NONE} for none.
         *
         * @param encrypted the snapshot is encrypted to the customer's key: it can be restored only in flight
         */
        default InFlight inFlight(Snapshot snapshot, boolean encrypted) {
            return InFlight.NONE;
        }

        /** @param verifying what was verified while it was stored, to finish */
        void completed(Snapshot snapshot, InFlight verifying);

        /**
         * The run is repeated (JobRunr runs it again when its worker died) but the snapshot was already stored: the
         * verification in flight may have died with that worker, before its verdict.
         */
        default void completedBefore(Snapshot snapshot) {
        }

        void failed(Snapshot snapshot, String error);
    }

    public BackupRunner(SnapshotRepository snapshots, AddonRepository addons, BackupTargets targets, Dumpers dumpers,
                        SnapshotStores stores, DatabaseLocks locks, Outcomes outcomes, Settings.JobLimits limits, Clock clock) {
        this.snapshots = snapshots;
        this.addons = addons;
        this.targets = targets;
        this.dumpers = dumpers;
        this.stores = stores;
        this.locks = locks;
        this.outcomes = outcomes;
        this.limits = limits;
        this.clock = clock;
    }

    /** Another run is dumping the same database, or the add-on's backup slots are taken; the job is postponed. */
    public static final class DatabaseBusyException extends BusyException {
        DatabaseBusyException(Snapshot snapshot) {
            super(snapshot.configVar() + " is being backed up by another run, or the add-on's other backups fill its slots;"
                    + " this one will run later", snapshot.createdAt());
        }
    }

    public void run(String snapshotId) {
        var found = snapshots.find(snapshotId);
        if (found.isPresent() && found.get().status() == SnapshotStatus.COMPLETED) {
            outcomes.completedBefore(found.get());
            return;
        }
        if (found.isEmpty() || found.get().status() == SnapshotStatus.FAILED) {
            return;
        }
        Snapshot snapshot = found.get();
        Addon addon = addons.find(snapshot.addonId()).orElse(null);
        if (addon == null) {
            return;
        }
        InFlight verifying = InFlight.NONE;
        try {
            Snapshot completed;
            try (var lock = locks.tryLock(addon.id(), snapshot.configVar(), limits.addonBackupsAtOnce())
                    .orElseThrow(() -> new DatabaseBusyException(snapshot))) {
                String recipient = addons.encryptionRecipient(addon.id()).orElse(null);
                verifying = outcomes.inFlight(snapshot, recipient != null);
                completed = dumpAndRecord(addon, snapshot, verifying, recipient);
            }
            // The database is free once its snapshot is stored: the next one may dump it while this one's verdict is read.
            if (completed != null) {
                outcomes.completed(completed, verifying);
            }
        } finally {
            verifying.close();
        }
    }

    /** @return the completed snapshot, or null when it failed (recorded, and the owner told) or its add-on is gone */
    private Snapshot dumpAndRecord(Addon addon, Snapshot snapshot, InFlight verifying, String recipient) {
        String snapshotId = snapshot.id();
        Instant started = clock.instant();
        snapshots.markRunning(snapshotId, started);
        LOG.info("event=backup_started snapshot={} addon={} database={}", snapshotId, addon.id(), snapshot.configVar());
        // A fresh limit for each run: a run JobRunr repeats after a worker died starts over (its retries are bounded).
        var deadline = Deadline.start(limits.backupTimeout(), "AUTOBUS_BACKUP_TIMEOUT");
        SnapshotRepository.Completion completion = null;
        try (deadline) {
            completion = dumpAndStore(addon, snapshot, deadline, verifying, recipient);
            if (!snapshots.complete(snapshotId, completion, started, clock.instant())) {
                // The add-on was removed while we dumped: its data must not outlive it.
                stores.byRegion(completion.storageRegion()).delete(completion.storageKey());
                return null;
            }
            LOG.info("event=snapshot_completed snapshot={} addon={} database={} bytes={}", snapshotId, addon.id(),
                    snapshot.configVar(), completion.sizeBytes());
            return snapshots.find(snapshotId).orElseThrow();
        } catch (IOException | RuntimeException e) {
            // Failed, not thrown: a run that timed out is not retried by JobRunr.
            String error = deadline.expired() ? deadline.message() + "; the dump was stopped and nothing was stored" : e.getMessage();
            // Until the store took the file, the store's contract leaves nothing at the key, unless an earlier run of this
            // snapshot stored one there; a file stored whose completion could not be recorded stays recorded for the sweep.
            snapshots.fail(snapshotId, error, started, clock.instant(), completion == null && snapshot.storageKey() == null);
            LOG.warn("event=snapshot_failed snapshot={} addon={} database={} reason=\"{}\"", snapshotId, addon.id(),
                    snapshot.configVar(), firstLine(error));
            outcomes.failed(snapshot, error);
            return null;
        }
    }

    /** @param recipient the customer's age key the snapshot is encrypted to, or null */
    private SnapshotRepository.Completion dumpAndStore(Addon addon, Snapshot snapshot, Deadline deadline, InFlight verifying,
                                                       String recipient) throws IOException {
        var target = targets.resolve(addon, snapshot.configVar());
        SnapshotStore store = stores.forAppRegion(addon.region());
        String key = SnapshotKeys.objectKey(addon.id(), snapshot.configVar(), snapshot.id(), target.engine(), recipient != null);
        recordStorage(snapshot, store, key);
        // Connecting is bounded by the dumpers' own connect timeouts; from here on, by the deadline:
        // closing the dump kills the tools, so the store's read fails and the upload is aborted.
        try (Dump dump = dumpers.forEngine(DatabaseUrl.Engine.of(target.engine())).start(target.url(), target.address(), target.options());
             var reporter = ProgressReporter.start(snapshot.id(), dump.progress()::view,
                     progress -> snapshots.recordProgress(snapshot.id(), progress), ProgressReporter.EVERY)) {
            deadline.guard(dump::close);
            // Teed before encryption: the restore in flight reads the file the customer opens with their key.
            var measured = new MeasuredInputStream(encrypted(verifying.tee(dump, dump.output()), recipient));
            StoredChecksum stored = store.put(key, measured);
            verifying.ended();
            return new SnapshotRepository.Completion(dump.serverVersion(), measured.size(), measured.sha256Hex(),
                    store.region(), key, statisticsOf(dump, snapshot), target.options().toJson(),
                    new SnapshotRepository.Tooling(dump.tool(), dump.toolNote(), dump.archiveVersion(), dump.restoreWith()),
                    dump.partialReason().orElse(null), stored, recipient);
        }
    }

    /**
     * Records where the object goes before anything is stored (a sweep and deprovision find it by that, whatever becomes
     * of this run); an earlier run's object under another key (encrypted since, say) is deleted first.
     */
    private void recordStorage(Snapshot snapshot, SnapshotStore store, String key) throws IOException {
        if (snapshot.storageKey() != null && !(snapshot.storageKey().equals(key) && store.region().equals(snapshot.storageRegion()))) {
            stores.byRegion(snapshot.storageRegion()).delete(snapshot.storageKey());
        }
        snapshots.recordStorage(snapshot.id(), store.region(), key);
    }

    /** Encrypted to the customer's own key after compression, when they set one: what is measured and stored is the {@code .age} file. */
    private static InputStream encrypted(InputStream output, String recipient) throws IOException {
        return recipient == null ? output : new AgeInputStream(output, AgeRecipient.parse(recipient));
    }

    /** Statistics are a bonus: a snapshot that was stored is kept even when counting failed (or ran out of time). */
    private static DatabaseStatistics statisticsOf(Dump dump, Snapshot snapshot) {
        try {
            return dump.statistics();
        } catch (RuntimeException e) {
            LOG.warn("event=statistics_failed snapshot={} reason=\"{}\"", snapshot.id(), firstLine(e.getMessage()));
            return null;
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").replace('"', '\'');
    }
}
