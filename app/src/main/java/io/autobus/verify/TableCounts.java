package io.autobus.verify;

import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.dump.DumpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
            if (matchesAny(expected.name(), options.excludeTables()) || !inDumpedSchemas(expected.name(), options)) {
                continue;
            }
            Long rows = restored.get(expected.name());
            long wanted = matchesAny(expected.name(), options.excludeTableData()) ? 0 : expected.rows();
            if (rows == null) {
                differences.add(expected.name() + ": missing from the restore");
            } else if (expected.rowsExact() && rows != wanted) {
                differences.add(expected.name() + ": " + rows + " rows restored, " + wanted + " at dump time");
            } else if (!expected.rowsExact() && wanted > 0 && rows == 0) {
                differences.add(expected.name() + ": empty after the restore, about " + wanted + " rows at dump time");
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
        if (!options.schemas().isEmpty() && options.schemas().stream().noneMatch(p -> glob(p).matcher(schema).matches())) {
            return false;
        }
        return options.excludeSchemas().stream().noneMatch(p -> glob(p).matcher(schema).matches());
    }

    /** pg_dump-style patterns: qualified ones match {@code schema.table}, bare ones the table's own name. */
    static boolean matchesAny(String table, List<String> patterns) {
        String bare = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
        return patterns.stream().anyMatch(p -> glob(p).matcher(p.contains(".") ? table : bare).matches());
    }

    private static Pattern glob(String pattern) {
        var regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(regex.toString());
    }
}
