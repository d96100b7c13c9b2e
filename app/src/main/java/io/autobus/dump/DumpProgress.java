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
    /** Each table's size on the server, the yardstick for what is still to come; empty until known. */
    private volatile Map<String, Long> tableSizes = Map.of();
    /** Each table's row estimate on the server: how far into the current table the dump is, whatever its encoding. */
    private volatile Map<String, Long> tableRowEstimates = Map.of();
    private final Set<String> passed = ConcurrentHashMap.newKeySet();
    private volatile long bytesAtEnter;
    /** The tables whose data the dump holds, once the dump says (pg_dump's table of contents); null: all. */
    private volatile Set<String> dumpedTables;
    private final Map<String, Long> rows = new ConcurrentHashMap<>();

    /** A moment of the dump, for the API and the dashboard. */
    public record View(long bytes, Long expectedBytes, String table) {
    }

    public View view() {
        return new View(bytes.get(), expectedBytes(), table);
    }

    /**
     * The data bytes the dump should pass in all, or null while unknown. A table's dump is not its size on the server
     * (bytea doubles in hex, numbers shrink or grow as text), so the share done is measured on the server's sizes:
     * the tables already passed, and the current one's share of its estimated rows (counted exactly as they pass);
     * the bytes so far, divided by that share, are the expectation.
     */
    Long expectedBytes() {
        Map<String, Long> sizes = tableSizes;
        Set<String> dumped = dumpedTables;
        long total = sizes.entrySet().stream().filter(e -> dumped == null || dumped.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        if (total <= 0) {
            return null;
        }
        long sizesPassed = passed.stream().mapToLong(name -> sizes.getOrDefault(name, 0L)).sum();
        String current = table;
        double done = sizesPassed + (current == null ? 0 : sizes.getOrDefault(current, 0L) * shareOf(current));
        long passedBytes = bytes.get();
        return done <= 0 || passedBytes <= 0 ? total : Math.max(passedBytes, Math.round(passedBytes * total / done));
    }

    /** How much of the table being dumped has passed, 0 to 1: by rows when the server has an estimate, else by bytes. */
    private double shareOf(String current) {
        long estimate = tableRowEstimates.getOrDefault(current, 0L);
        if (estimate > 0) {
            return Math.min(1, (double) rows.getOrDefault(current, 0L) / estimate);
        }
        long size = tableSizes.getOrDefault(current, 0L);
        return size <= 0 ? 1 : Math.min(1, (double) (bytes.get() - bytesAtEnter) / size);
    }

    void tableSizes(Map<String, Long> sizes) {
        this.tableSizes = Map.copyOf(sizes);
    }

    void tableRowEstimates(Map<String, Long> estimates) {
        this.tableRowEstimates = Map.copyOf(estimates);
    }

    void dumpedTables(Set<String> tables) {
        this.dumpedTables = Set.copyOf(tables);
    }

    /** The dump starts on {@code name}'s data (schema-qualified for PostgreSQL, bare for MySQL). */
    void enter(String name) {
        String previous = table;
        if (previous != null) {
            passed.add(previous);
        }
        bytesAtEnter = bytes.get();
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
        String previous = table;
        if (previous != null) {
            passed.add(previous);
        }
        table = null;
    }
}
