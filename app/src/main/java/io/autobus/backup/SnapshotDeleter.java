package io.autobus.backup;

import io.autobus.storage.SnapshotStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes one snapshot at the customer's request: the stored object first, then the record. */
public final class SnapshotDeleter {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotDeleter.class);

    private final SnapshotRepository snapshots;
    private final SnapshotStores stores;

    public SnapshotDeleter(SnapshotRepository snapshots, SnapshotStores stores) {
        this.snapshots = snapshots;
        this.stores = stores;
    }

    public enum Outcome { DELETED, NOT_FOUND, IN_PROGRESS }

    /** Only the add-on's own snapshots; a pending or running one is refused. */
    public Outcome delete(UUID addonId, String snapshotId) {
        var found = snapshots.find(snapshotId).filter(s -> s.addonId().equals(addonId));
        if (found.isEmpty()) {
            return Outcome.NOT_FOUND;
        }
        Snapshot snapshot = found.get();
        if (snapshot.status() == SnapshotStatus.PENDING || snapshot.status() == SnapshotStatus.RUNNING) {
            return Outcome.IN_PROGRESS;
        }
        if (snapshot.storageKey() != null) {
            try {
                stores.byRegion(snapshot.storageRegion()).delete(snapshot.storageKey());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + snapshot.storageKey(), e);
            }
        }
        snapshots.delete(snapshot.id());
        LOG.info("event=snapshot_deleted snapshot={} addon={}", snapshot.id(), addonId);
        return Outcome.DELETED;
    }
}
