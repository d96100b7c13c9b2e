package io.autobus.verify;

import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.dump.DumpOptions;
import io.autobus.dump.TablePatterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares the tables of a restored database with the statistics taken when the snapshot was
 * dumped, leaving out what the snapshot's options left out.
 */
final class TableCounts {
    private TableCounts() {
    }

    /** The differences, one line each; empty when the restore matches. */
    static List<String> differences(List<TableStatistics> atDumpTime, DumpOptions options, Map<String, Long> restored) {
        var differences = new ArrayList<String>();
        for (TableStatistics expected : atDumpTime) {
            if (TablePatterns.matchesAny(expected.name(), options.excludeTables()) || !inDumpedSchemas(expected.name(), options)) {
                continue;
            }
            Long rows = restored.get(expected.name());
            long wanted = TablePatterns.matchesAny(expected.name(), options.excludeTableData()) ? 0 : expected.rows();
            if (rows == null) {
                differences.add(expected.name() + ": missing from the restore");
            } else if (expected.rowsExact() && rows != wanted) {
                // Every table whose data the dump holds was counted in the dump stream; only snapshots taken
                // before that have estimates, and an estimate is no count to compare with.
                differences.add(expected.name() + ": " + rows + " rows restored, " + wanted + " at dump time");
            }
        }
        return differences;
    }

    private static boolean inDumpedSchemas(String table, DumpOptions options) {
        int dot = table.indexOf('.');
        if (dot < 0) {
            return true;
        }
        String schema = table.substring(0, dot);
        if (!options.schemas().isEmpty() && options.schemas().stream().noneMatch(p -> TablePatterns.matches(schema, p))) {
            return false;
        }
        return options.excludeSchemas().stream().noneMatch(p -> TablePatterns.matches(schema, p));
    }
}
