package io.autobus.backup;

import io.autobus.dump.DatabaseStatistics.TableStatistics;
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

    /** One table's rows and size now and the difference from before (null before when it is new). */
    public record TableChange(String name, long rows, Long rowsDelta, long sizeBytes, Long sizeDelta, boolean rowsExact) {
    }

    /** @param previous the earlier snapshot's tables, empty when there is none */
    public static SnapshotChanges between(Long previousSize, List<TableStatistics> previous, Long currentSize,
                                          List<TableStatistics> current) {
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
                    old == null ? null : table.sizeBytes() - old.sizeBytes(), table.rowsExact()));
        });
        var dropped = before.keySet().stream().filter(name -> !now.containsKey(name)).sorted().toList();
        Long sizeDelta = previousSize == null || currentSize == null ? null : currentSize - previousSize;
        return new SnapshotChanges(sizeDelta, added, dropped, changes);
    }
}
