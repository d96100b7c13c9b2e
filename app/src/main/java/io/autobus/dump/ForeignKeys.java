package io.autobus.dump;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The foreign keys among a database's tables, read from its catalog. */
public final class ForeignKeys {
    private ForeignKeys() {
    }

    /**
     * One foreign key.
     *
     * @param referencing the table whose rows point at another's: schema-qualified for PostgreSQL, bare for MySQL
     * @param referenced  the table they point at, named the same way
     */
    public record ForeignKey(String name, String referencing, String referenced) {
        @Override
        public String toString() {
            return name + " (" + referencing + " → " + referenced + ")";
        }
    }

    /** The foreign keys of a PostgreSQL database (partitions' copies of a parent's key left out). */
    public static List<ForeignKey> postgres(Connection connection) throws SQLException {
        return read(connection, """
                SELECT c.conname, rn.nspname || '.' || r.relname, fn.nspname || '.' || f.relname
                FROM pg_constraint c
                JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
                JOIN pg_class f ON f.oid = c.confrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
                WHERE c.contype = 'f' AND NOT r.relispartition
                ORDER BY 2, 1""", null);
    }

    /** The foreign keys of a MySQL or MariaDB database between its own tables. */
    public static List<ForeignKey> mysql(Connection connection, String database) throws SQLException {
        return read(connection, """
                SELECT CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME
                FROM information_schema.REFERENTIAL_CONSTRAINTS
                WHERE CONSTRAINT_SCHEMA = ? AND UNIQUE_CONSTRAINT_SCHEMA = CONSTRAINT_SCHEMA
                ORDER BY 2, 1""", database);
    }

    private static List<ForeignKey> read(Connection connection, String sql, String database) throws SQLException {
        var keys = new ArrayList<ForeignKey>();
        try (var statement = connection.prepareStatement(sql)) {
            if (database != null) {
                statement.setString(1, database);
            }
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(new ForeignKey(rows.getString(1), rows.getString(2), rows.getString(3)));
                }
            }
        }
        return keys;
    }
}
