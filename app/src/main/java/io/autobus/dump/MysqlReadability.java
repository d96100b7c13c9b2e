package io.autobus.dump;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which kinds of stored objects the app's user may read. mysqldump stops the whole dump at a
 * routine it may not show ({@code insufficient privileges to SHOW CREATE FUNCTION}), at triggers
 * without the TRIGGER privilege, at events without EVENT: rather than no backup at all, the
 * dump leaves those kinds out and the snapshot says so.
 *
 * @param reason what was left out and why, for the owner; null when everything is readable
 */
record MysqlReadability(boolean routines, boolean triggers, boolean events, String reason) {

    static MysqlReadability of(Connection connection, String database, String user) throws SQLException {
        var unreadableRoutines = new ArrayList<String>();
        try (var statement = connection.prepareStatement(
                "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY 2")) {
            statement.setString(1, database);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(1).toLowerCase();
                    String name = rows.getString(2);
                    if (!routineReadable(connection, type, database, name)) {
                        unreadableRoutines.add(type + " `" + name + "`");
                    }
                }
            }
        }
        boolean triggers = answers(connection, "SHOW TRIGGERS FROM " + quote(database));
        boolean events = answers(connection, "SHOW EVENTS FROM " + quote(database));
        var reasons = new ArrayList<String>();
        if (!unreadableRoutines.isEmpty()) {
            reasons.add("routines not dumped: user " + user + " lacks privilege on " + String.join(", ", unreadableRoutines));
        }
        if (!triggers) {
            reasons.add("triggers not dumped: user " + user + " lacks the TRIGGER privilege");
        }
        if (!events) {
            reasons.add("events not dumped: user " + user + " lacks the EVENT privilege");
        }
        return new MysqlReadability(unreadableRoutines.isEmpty(), triggers, events, reasons.isEmpty() ? null : String.join("; ", reasons));
    }

    /** The flags that dump what may be read. */
    List<String> flags() {
        var flags = new ArrayList<String>();
        if (routines) {
            flags.add("--routines");
        }
        flags.add(triggers ? "--triggers" : "--skip-triggers");
        if (events) {
            flags.add("--events");
        }
        return flags;
    }

    /** SHOW CREATE answers with a null body when the user may see that the routine exists but not its text. */
    private static boolean routineReadable(Connection connection, String type, String database, String name) {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SHOW CREATE " + type.toUpperCase() + " " + quote(database) + "." + quote(name))) {
            return rows.next() && rows.getString(3) != null;
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean answers(Connection connection, String sql) {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
