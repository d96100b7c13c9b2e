package io.autobus.dump;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a running dump has passed so far, learnt by reading the dump stream itself: bytes of the
 * database's data (uncompressed, as the tool wrote them), the table being dumped, and the exact
 * number of rows of each table. Written by the stream's one reader; read meanwhile by whoever
 * reports progress, and at the end for the snapshot's statistics.
 */
public final class DumpProgress {
    private final AtomicLong bytes = new AtomicLong();
    private volatile String table;
    /** Each table's size on the server, the yardstick for bytes still to come; empty until known. */
    private volatile Map<String, Long> tableSizes = Map.of();
    /** The tables whose data the dump holds, once the dump says (pg_dump's table of contents); null: all. */
    private volatile Set<String> dumpedTables;
    private final Map<String, Long> rows = new ConcurrentHashMap<>();

    /** A moment of the dump, for the API and the dashboard. */
    public record View(long bytes, Long expectedBytes, String table) {
    }

    public View view() {
        return new View(bytes.get(), expectedBytes(), table);
    }

    /** The data bytes the dump should pass in all, or null while unknown. */
    Long expectedBytes() {
        Map<String, Long> sizes = tableSizes;
        if (sizes.isEmpty()) {
            return null;
        }
        Set<String> dumped = dumpedTables;
        return sizes.entrySet().stream().filter(e -> dumped == null || dumped.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    void tableSizes(Map<String, Long> sizes) {
        this.tableSizes = Map.copyOf(sizes);
    }

    void dumpedTables(Set<String> tables) {
        this.dumpedTables = Set.copyOf(tables);
    }

    /** The dump starts on {@code name}'s data (schema-qualified for PostgreSQL, bare for MySQL). */
    void enter(String name) {
        table = name;
        rows.putIfAbsent(name, 0L);
    }

    void addBytes(long n) {
        bytes.addAndGet(n);
    }

    void addRows(String name, long n) {
        rows.merge(name, n, Long::sum);
    }

    /** Exact row counts of every table whose data passed, by name; complete once the dump's stream ended. */
    public Map<String, Long> rowCounts() {
        return Map.copyOf(rows);
    }

    /** The dump has ended: no current table. */
    void finished() {
        table = null;
    }
}
