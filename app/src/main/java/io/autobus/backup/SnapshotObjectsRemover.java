package io.autobus.backup;

import io.autobus.addon.AddonDeprovisioner;
import io.autobus.storage.SnapshotStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * Deletes every stored object of an add-on's snapshots, when the add-on is removed: of failed and
 * running ones too (a run records its object's key before it stores anything).
 */
public final class SnapshotObjectsRemover implements AddonDeprovisioner.StoredObjects {
    private final SnapshotRepository snapshots;
    private final SnapshotStores stores;

    public SnapshotObjectsRemover(SnapshotRepository snapshots, SnapshotStores stores) {
        this.snapshots = snapshots;
        this.stores = stores;
    }

    @Override
    public int deleteAll(UUID addonId) {
        int deleted = 0;
        for (Snapshot snapshot : snapshots.ofAddon(addonId)) {
            if (snapshot.storageKey() != null) {
                try {
                    stores.byRegion(snapshot.storageRegion()).delete(snapshot.storageKey());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + snapshot.storageKey(), e);
                }
                deleted++;
            }
        }
        return deleted;
    }
}
