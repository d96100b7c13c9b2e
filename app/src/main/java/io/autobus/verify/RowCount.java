package io.autobus.verify;

import java.sql.Connection;
import java.sql.SQLException;

/** {@code SELECT count(*)} of one table, its name already quoted for the engine. */
public final class RowCount {
    private RowCount() {
    }

    public static long of(Connection connection, String quotedTable) throws SQLException {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT count(*) FROM " + quotedTable)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
