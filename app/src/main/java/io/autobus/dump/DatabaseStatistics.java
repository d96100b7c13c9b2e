package io.autobus.dump;

import java.util.List;

/**
 * The database as it was at dump time: its size and, per table, rows and size on disk.
 *
 * @param tables schema-qualified for PostgreSQL ({@code public.users}), bare for MySQL
 */
public record DatabaseStatistics(long databaseSizeBytes, List<TableStatistics> tables) {

    /**
     * @param rowsExact true for rows counted in the dump stream; false for the engine's estimate, kept for tables whose
     *                  data the dump leaves out (and in snapshots taken before rows were counted from the stream)
     */
    public record TableStatistics(String name, long rows, boolean rowsExact, long sizeBytes) {
    }

    /** These statistics with the rows counted in the dump stream in place of the estimates, for the tables it holds. */
    public DatabaseStatistics withCounts(java.util.Map<String, Long> counted) {
        return new DatabaseStatistics(databaseSizeBytes, tables.stream().map(table -> counted.containsKey(table.name())
                ? new TableStatistics(table.name(), counted.get(table.name()), true, table.sizeBytes()) : table).toList());
    }
}
