package io.autobus.backup;

import io.autobus.storage.SnapshotStores;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the stored objects that no snapshot can be restored from: those of failed runs (a file
 * stored whose completion could not be recorded), and of runs left "running" by a dead worker.
 * The object goes first, then its record, so a sweep stopped in between is finished by the next.
 */
public final class LeftoverObjectsSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverObjectsSweeper.class);

    private final SnapshotRepository snapshots;
    private final SnapshotStores stores;
    private final Duration runningAtMost;
    private final Clock clock;

    /** @param backupTimeout {@code AUTOBUS_BACKUP_TIMEOUT}: a run "running" for longer than that (and its failing) is dead */
    public LeftoverObjectsSweeper(SnapshotRepository snapshots, SnapshotStores stores, Duration backupTimeout, Clock clock) {
        this.snapshots = snapshots;
        this.stores = stores;
        this.runningAtMost = backupTimeout.plus(ManualSnapshots.FAILING_TAKES_AT_MOST);
        this.clock = clock;
    }

    /** One round; returns how many objects it deleted. */
    public int sweep() {
        int deleted = 0;
        for (Snapshot leftover : snapshots.withLeftoverObjects(clock.instant().minus(runningAtMost))) {
            try {
                stores.byRegion(leftover.storageRegion()).delete(leftover.storageKey());
            } catch (IOException | RuntimeException e) {
                // One object that cannot be deleted now must not keep the others: the next sweep tries it again.
                LOG.warn("event=leftover_object_delete_failed snapshot={} reason=\"{}\"", leftover.id(),
                        String.valueOf(e.getMessage()).replace('"', '\''));
                continue;
            }
            if (snapshots.forgetLeftoverObject(leftover)) {
                deleted++;
                LOG.info("event=leftover_object_deleted snapshot={} addon={} status={}", leftover.id(), leftover.addonId(),
                        leftover.status().dbValue());
            }
        }
        return deleted;
    }
}
