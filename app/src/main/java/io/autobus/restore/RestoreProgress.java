package io.autobus.restore;

import java.util.function.Supplier;

/** Which table a running restore is at, as the engine's watcher of the stream says (null while unknown). */
final class RestoreProgress {
    private volatile Supplier<String> table = () -> null;

    void tableFrom(Supplier<String> source) {
        table = source;
    }

    String table() {
        return table.get();
    }
}
