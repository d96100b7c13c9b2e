package io.autobus.backup;

import io.autobus.storage.SnapshotStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the seed's retention table: Daily 1 week, Weekly 4 weeks, Monthly 1 year, Manual
 * unlimited (never pruned: only the customer deletes one); failed records go after a month. The stored object is deleted
 * first, then the record, so a crash in between is finished by the next round. The newest
 * completed snapshot of each database is always kept, however old, while the add-on has that database.
 */
public final class SnapshotPruner {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPruner.class);
    static final Duration FAILED_KEPT = Duration.ofDays(30);

    private final SnapshotRepository snapshots;
    private final SnapshotStores stores;
    private final Clock clock;

    public SnapshotPruner(SnapshotRepository snapshots, SnapshotStores stores, Clock clock) {
        this.snapshots = snapshots;
        this.stores = stores;
        this.clock = clock;
    }

    /** One round; returns how many snapshots it deleted. */
    public int prune() {
        var expired = snapshots.expired(clock.instant(), FAILED_KEPT);
        for (Snapshot snapshot : expired) {
            deleteObject(snapshot);
            snapshots.delete(snapshot.id());
            LOG.info("event=snapshot_pruned snapshot={} addon={} kind={}", snapshot.id(), snapshot.addonId(), snapshot.kind().dbValue());
        }
        return expired.size();
    }

    private void deleteObject(Snapshot snapshot) {
        if (snapshot.storageKey() == null) {
            return;
        }
        try {
            stores.byRegion(snapshot.storageRegion()).delete(snapshot.storageKey());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + snapshot.storageKey(), e);
        }
    }
}
