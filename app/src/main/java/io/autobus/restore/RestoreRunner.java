package io.autobus.restore;

import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.backup.BackupRunner;
import io.autobus.backup.BackupTargets;
import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.MeasuredInputStream;
import io.autobus.backup.ProgressReporter;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.config.Settings;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.dump.DumpException;
import io.autobus.dump.DumpProgress;
import io.autobus.jobs.BusyException;
import io.autobus.jobs.Deadline;
import io.autobus.notify.Notifier;
import io.autobus.storage.SnapshotStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one restore: the safety snapshot of the target first (whole and replace restores), then,
 * holding the target's backup lock (no backup dumps it meanwhile, and the restore waits for one
 * that does), the stored object streamed from the store through its SHA-256 into the engine's
 * tool on the target (downloaded once the tool reads it, and closed however the restore ends); then every restored table counted and set beside the snapshot's dump-time
 * count. The one place a restore's stream is wired. A failure is recorded with the tool's words
 * and told to the owner; so is success.
 */
public final class RestoreRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreRunner.class);

    private final RestoreRepository restores;
    private final SnapshotRepository snapshots;
    private final AddonRepository addons;
    private final BackupTargets targets;
    private final BackupRunner backups;
    private final SnapshotStores stores;
    private final DatabaseLocks locks;
    private final Map<DatabaseUrl.Engine, TargetRestore> engines;
    private final Notifier notifier;
    private final Settings.JobLimits limits;
    private final Clock clock;

    public RestoreRunner(RestoreRepository restores, SnapshotRepository snapshots, AddonRepository addons, BackupTargets targets,
                         BackupRunner backups, SnapshotStores stores, DatabaseLocks locks, io.autobus.dump.Tools tools,
                         Notifier notifier, Settings.JobLimits limits, Clock clock) {
        this.restores = restores;
        this.snapshots = snapshots;
        this.addons = addons;
        this.targets = targets;
        this.backups = backups;
        this.stores = stores;
        this.locks = locks;
        this.engines = Map.of(DatabaseUrl.Engine.POSTGRESQL, new PostgresTargetRestore(tools),
                DatabaseUrl.Engine.MYSQL, new MysqlTargetRestore(tools));
        this.notifier = notifier;
        this.limits = limits;
        this.clock = clock;
    }

    public void run(String restoreId) {
        var found = restores.find(restoreId);
        if (found.isEmpty() || found.get().status().finished()) {
            return;
        }
        Restore restore = found.get();
        Addon addon = addons.find(restore.addonId()).orElse(null);
        if (addon == null) {
            return;
        }
        var snapshot = snapshots.find(restore.snapshotId()).filter(s -> s.status() == SnapshotStatus.COMPLETED);
        if (snapshot.isEmpty()) {
            fail(restore, "snapshot " + restore.snapshotId() + " no longer exists; nothing was restored");
            return;
        }
        restores.markRunning(restore.id(), clock.instant());
        try {
            var target = targets.resolve(addon, restore.target());
            if (DatabaseUrl.Engine.of(target.engine()) != DatabaseUrl.Engine.of(snapshot.get().engine())) {
                throw new RestoreException(restore.target() + " is not a " + engineName(snapshot.get()) + " database any more");
            }
            if (restore.mode().overwrites() && restore.snapshotFirst()) {
                takeSafetySnapshot(restore, snapshot.get(), target);
            }
            try (var lock = locks.tryLock(addon.id(), restore.target()).orElseThrow(() -> new BusyException(
                    restore.target() + " is being backed up; the restore starts when that backup has finished", restore.createdAt()))) {
                restoreAndCount(restore, snapshot.get(), target);
            }
        } catch (BusyException e) {
            throw e; // the job is postponed, the row stays running
        } catch (RestoreException | DumpException e) {
            fail(restore, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("event=restore_error restore={}", restore.id(), e);
            fail(restore, "the restore could not run: " + e.getMessage());
        }
    }

    /** A manual snapshot of the target, described so, taken now; a failed one stops the restore before it touches anything. */
    private void takeSafetySnapshot(Restore restore, Snapshot restoring, BackupTargets.Target target) {
        String safetyId = restore.safetySnapshotId();
        if (safetyId == null) {
            Instant now = clock.instant();
            var outcome = snapshots.createManual(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), restore.addonId(),
                    restore.target(), target.engine(), SnapshotKind.MANUAL, "before restore of " + restoring.id(), null,
                    UUID.randomUUID(), now), new SnapshotRepository.ManualRules(now.minus(limits.backupTimeout()),
                    OptionalInt.empty(), null)); // ours, to protect the target: no plan cap, and never an earlier restore's

            safetyId = switch (outcome) {
                case SnapshotRepository.ManualRequest.Created created -> created.snapshotId();
                case SnapshotRepository.ManualRequest.Existing existing -> existing.snapshot().id();
                case SnapshotRepository.ManualRequest.CapReached cap -> throw new IllegalStateException("no cap was set");
            };
            restores.recordSafetySnapshot(restore.id(), safetyId);
        }
        backups.run(safetyId); // BusyException while the target is being dumped: the restore waits
        var safety = snapshots.find(safetyId).orElseThrow(() -> new RestoreException("the snapshot of " + restore.target()
                + " taken first was deleted; nothing was restored"));
        if (safety.status() != SnapshotStatus.COMPLETED) {
            throw new RestoreException("the snapshot of " + restore.target() + " taken first (" + safetyId + ") failed"
                    + (safety.error() == null ? "" : ": " + safety.error()) + "; nothing was restored");
        }
    }

    private void restoreAndCount(Restore restore, Snapshot snapshot, BackupTargets.Target target) {
        TargetRestore engine = engines.get(DatabaseUrl.Engine.of(snapshot.engine()));
        String restoredInto;
        var where = new RestoreProgress();
        try (var deadline = Deadline.start(limits.backupTimeout(), "AUTOBUS_BACKUP_TIMEOUT");
             var measured = new MeasuredInputStream(new OpenedWhenRead(() -> openStored(snapshot)));
             var reporter = ProgressReporter.start(restore.id(),
                     () -> new DumpProgress.View(measured.size(), snapshot.sizeBytes(), where.table()),
                     progress -> restores.recordProgress(restore.id(), progress), ProgressReporter.EVERY)) {
            try {
                restoredInto = engine.restore(snapshot, restore, target, unclosed(measured), () -> openStored(snapshot), where, deadline);
                // The tool may stop early: the rest is read anyway, so that the SHA-256 says whether the file was whole.
                measured.transferTo(OutputStream.nullOutputStream());
            } catch (RuntimeException e) {
                throw deadline.expired() ? new RestoreException("the restore " + deadline.message() + " and was stopped") : e;
            }
            String sha256 = measured.sha256Hex();
            if (!sha256.equals(snapshot.sha256()) || measured.size() != snapshot.sizeBytes()) {
                throw new RestoreException("the stored file is not what was dumped (" + measured.size() + " bytes with SHA-256 " + sha256
                        + "); what it held was restored, check the target");
            }
        } catch (IOException e) {
            throw new RestoreException("the stored snapshot could not be read: " + e.getMessage(), e);
        }
        var result = count(engine, restore, snapshot, target, restoredInto);
        var differing = result.stream().filter(t -> t.expectedRows() != null && t.rows() != t.expectedRows())
                .map(t -> t.name() + " has " + t.rows() + " rows, the snapshot " + t.expectedRows()).toList();
        String error = differing.isEmpty() ? null : "the restore ran, but the restored rows differ from the snapshot's: "
                + String.join("; ", differing);
        restores.finish(restore.id(), result, restoredInto, null, clock.instant());
        LOG.info("event=restore_finished restore={} snapshot={} target={} mode={} tables={} ok={}", restore.id(), snapshot.id(),
                restore.target(), restore.mode().dbValue(), result.size(), error == null);
        tell(restore, snapshot, restoredInto, result, error);
    }

    /** Each restored table's rows now, beside its exact count at dump time. */
    private List<Restore.TableResult> count(TargetRestore engine, Restore restore, Snapshot snapshot, BackupTargets.Target target,
                                            String restoredInto) {
        var atDumpTime = snapshots.tables(snapshot.id()).stream()
                .filter(t -> restore.tables().isEmpty() || restore.tables().contains(t.name())).toList();
        try (Connection connection = engine.connect(target)) {
            var counts = engine.counts(connection, atDumpTime.stream().map(TableStatistics::name).toList(), restoredInto);
            var result = new ArrayList<Restore.TableResult>();
            for (TableStatistics table : atDumpTime) {
                Long rows = counts.get(table.name());
                if (rows != null) {
                    result.add(new Restore.TableResult(table.name(), rows, table.rowsExact() ? table.rows() : null));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new RestoreException("the restore ran, but its tables could not be counted: " + e.getMessage(), e);
        }
    }

    private void fail(Restore asked, String error) {
        Restore restore = restores.find(asked.id()).orElse(asked); // with its safety snapshot, if one was taken
        restores.finish(restore.id(), restore.result(), restore.restoredInto(), error, clock.instant());
        LOG.warn("event=restore_failed restore={} target={} reason=\"{}\"", restore.id(), restore.target(),
                error.lines().findFirst().orElse("").replace('"', '\''));
        notifier.notice(restore.addonId(), "restore:" + restore.id(), "restore.failed",
                "Restore into " + restore.target() + " failed",
                "The restore " + restore.id() + " of snapshot " + restore.snapshotId() + " into " + restore.target() + " failed:\n\n"
                        + error + (restore.safetySnapshotId() == null ? ""
                        : "\n\nSnapshot " + restore.safetySnapshotId() + " holds " + restore.target() + " as it was before."));
    }

    private void tell(Restore asked, Snapshot snapshot, String restoredInto, List<Restore.TableResult> result, String error) {
        if (error != null) {
            fail(asked, error);
            return;
        }
        Restore restore = restores.find(asked.id()).orElse(asked);
        long rows = result.stream().mapToLong(Restore.TableResult::rows).sum();
        notifier.notice(restore.addonId(), "restore:" + restore.id(), "restore.completed",
                "Restore into " + restore.target() + " completed",
                "Snapshot " + snapshot.id() + " (" + snapshot.kind().label() + ", taken " + snapshot.createdAt() + ") was restored into "
                        + restore.target() + (restoredInto == null ? "" : " as " + restoredInto) + ": " + result.size() + " tables, "
                        + rows + " rows, every count as in the snapshot."
                        + (restore.safetySnapshotId() == null ? "" : "\n\nSnapshot " + restore.safetySnapshotId() + " holds "
                        + restore.target() + " as it was before."));
    }

    private InputStream openStored(Snapshot snapshot) throws IOException {
        return stores.byRegion(snapshot.storageRegion()).open(snapshot.storageKey());
    }

    /** The stream without its close(), so that what the tool did not read can still be read for the SHA-256. */
    private static InputStream unclosed(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    static String engineName(Snapshot snapshot) {
        return DatabaseUrl.Engine.of(snapshot.engine()) == DatabaseUrl.Engine.POSTGRESQL ? "PostgreSQL" : "MySQL";
    }
}
