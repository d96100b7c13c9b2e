package io.autobus.backup;

import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.dump.DumpOptions;
import io.autobus.dump.TablePatterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a database changed between two snapshots of it: the seed's "monitor the changes in your
 * database day by day".
 *
 * @param tables every table of either snapshot, by name
 */
public record SnapshotChanges(Long databaseSizeDelta, List<String> tablesAdded, List<String> tablesDropped,
                              List<TableChange> tables) {

    /**
     * One table's rows and size now and the difference from before (null before when it is new).
     *
     * @param leftOut {@code table} when the snapshot leaves the table out (exclude_tables), {@code data} when it keeps
     *                only its definition (exclude_table_data), null when it holds the table's rows; the rows are then
     *                the server's estimate, not what the snapshot holds
     */
    public record TableChange(String name, long rows, Long rowsDelta, long sizeBytes, Long sizeDelta, boolean rowsExact,
                              String leftOut) {
    }

    /**
     * @param previous the earlier snapshot's tables, empty when there is none
     * @param options  the current snapshot's dump options, which say which tables it leaves out
     */
    public static SnapshotChanges between(Long previousSize, List<TableStatistics> previous, Long currentSize,
                                          List<TableStatistics> current, DumpOptions options) {
        Map<String, TableStatistics> before = previous.stream().collect(Collectors.toMap(TableStatistics::name, Function.identity()));
        Map<String, TableStatistics> now = new TreeMap<>(current.stream().collect(Collectors.toMap(TableStatistics::name, Function.identity())));
        var changes = new ArrayList<TableChange>();
        var added = new ArrayList<String>();
        now.forEach((name, table) -> {
            TableStatistics old = before.get(name);
            if (old == null && !previous.isEmpty()) {
                added.add(name);
            }
            changes.add(new TableChange(name, table.rows(), old == null ? null : table.rows() - old.rows(), table.sizeBytes(),
                    old == null ? null : table.sizeBytes() - old.sizeBytes(), table.rowsExact(), leftOut(name, options)));
        });
        var dropped = before.keySet().stream().filter(name -> !now.containsKey(name)).sorted().toList();
        Long sizeDelta = previousSize == null || currentSize == null ? null : currentSize - previousSize;
        return new SnapshotChanges(sizeDelta, added, dropped, changes);
    }

    /** How the snapshot's database changed since its previous completed snapshot (all new when there is none). */
    public static SnapshotChanges sincePrevious(SnapshotRepository snapshots, Snapshot snapshot) {
        var previous = snapshots.previousCompleted(snapshot);
        return between(previous.map(Snapshot::databaseSizeBytes).orElse(null), previous.map(p -> snapshots.tables(p.id())).orElse(List.of()),
                snapshot.databaseSizeBytes(), snapshots.tables(snapshot.id()), DumpOptions.fromJson(snapshot.dumpOptions()));
    }

    private static String leftOut(String table, DumpOptions options) {
        if (TablePatterns.matchesAny(table, options.excludeTables())) {
            return "table";
        }
        return TablePatterns.matchesAny(table, options.excludeTableData()) ? "data" : null;
    }
}
