package io.autobus.verify;

import io.autobus.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A server where verification may create, fill and drop databases that nothing else uses. */
interface ScratchServer {
    /** Prefix of every scratch database, so that leftovers can be found after a crash. */
    String PREFIX = "autobus_verify_";

    /** e.g. {@code 17} for PostgreSQL 17.2; {@code 10} for MariaDB 10.11. */
    int majorVersion() throws SQLException;

    /** Creates an empty database and returns how to reach it. */
    DatabaseUrl create(String name) throws SQLException;

    void drop(String name) throws SQLException;

    /** Scratch databases present on the server (after a crash, some may be leftovers). */
    List<String> scratchDatabases() throws SQLException;

    Connection connect(DatabaseUrl database) throws SQLException;
}
