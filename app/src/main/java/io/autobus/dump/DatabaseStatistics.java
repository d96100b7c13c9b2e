package io.autobus.dump;

import java.util.List;

/**
 * The database as it was at dump time: its size and, per table, rows and size on disk.
 *
 * @param tables schema-qualified for PostgreSQL ({@code public.users}), bare for MySQL
 */
public record DatabaseStatistics(long databaseSizeBytes, List<TableStatistics> tables) {

    /**
     * @param rowsExact true for a {@code count(*)}; false for the engine's estimate, used beyond
     *                  {@link #EXACT_COUNT_LIMIT} rows so that statistics never scan a huge table
     */
    public record TableStatistics(String name, long rows, boolean rowsExact, long sizeBytes) {
    }

    /** Tables estimated below this many rows are counted exactly. */
    public static final long EXACT_COUNT_LIMIT = 1_000_000;
}
