package io.autobus.support;

import io.autobus.storage.SnapshotStore;
import io.autobus.storage.StoredChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * A real store seen through two hooks: what a backup writes passes through {@code onPut}, what
 * verification reads back through {@code onOpen} (to hold a tool at a chosen point, say).
 */
public record InterceptedStore(SnapshotStore store, UnaryOperator<InputStream> onPut, UnaryOperator<InputStream> onOpen)
        implements SnapshotStore {

    public static InterceptedStore onPut(SnapshotStore store, UnaryOperator<InputStream> onPut) {
        return new InterceptedStore(store, onPut, UnaryOperator.identity());
    }

    public static InterceptedStore onOpen(SnapshotStore store, UnaryOperator<InputStream> onOpen) {
        return new InterceptedStore(store, UnaryOperator.identity(), onOpen);
    }

    @Override
    public StoredChecksum put(String key, InputStream content) throws IOException {
        return store.put(key, onPut.apply(content));
    }

    @Override
    public InputStream open(String key) throws IOException {
        return onOpen.apply(store.open(key));
    }

    @Override
    public URI downloadUrl(String key, String fileName) {
        return store.downloadUrl(key, fileName);
    }

    @Override
    public void delete(String key) throws IOException {
        store.delete(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return store.exists(key);
    }

    @Override
    public String region() {
        return store.region();
    }
}
