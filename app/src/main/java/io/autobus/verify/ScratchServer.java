package io.autobus.verify;

import io.autobus.dump.DatabaseUrl;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * A server where verification may create, fill and drop databases that nothing else uses. Each
 * scratch database is owned by a login made for it alone, without any privilege beyond that
 * database: the restore, and whatever customer code it runs, connects as that login, never as
 * the server's administrator.
 */
interface ScratchServer {
    /** Prefix of every scratch database (and of its login), so that leftovers can be found after a crash. */
    String PREFIX = "autobus_verify_";

    /** e.g. {@code 17} for PostgreSQL 17.2; {@code 10} for MariaDB 10.11. */
    int majorVersion() throws SQLException;

    /** Creates an empty database and its own unprivileged login; returns how that login reaches it. */
    DatabaseUrl create(String name) throws SQLException;

    /** Drops the database and its login, if they exist. */
    void drop(String name) throws SQLException;

    /** Scratch databases and logins present on the server (after a crash, some may be leftovers), by scratch name. */
    List<String> scratchDatabases() throws SQLException;

    /** Connects as the user of {@code database} (the scratch login, for a scratch database). */
    Connection connect(DatabaseUrl database) throws SQLException;

    /** The server's version as it reports it ({@code 15.15}, {@code 10.11.6-MariaDB}), asked as the scratch login of {@code database}. */
    default String serverVersion(DatabaseUrl database) throws SQLException {
        try (Connection connection = connect(database)) {
            return connection.getMetaData().getDatabaseProductVersion().split(" ")[0];
        }
    }

    /** A password for a scratch login: random, used once. */
    static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
