package io.autobus.backup;

import io.autobus.crypto.Tokens;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * One dump per database at a time, across every worker: a PostgreSQL advisory lock on the
 * metadata store, held by a connection for the run. If the worker dies, the connection goes
 * and the lock with it.
 */
public final class DatabaseLocks {
    private final DataSource dataSource;

    public DatabaseLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A held lock; closing releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Empty when another run holds the database. */
    public Optional<Held> tryLock(UUID addonId, String configVar) {
        return tryLock("backup:" + addonId + ":" + configVar);
    }

    /** Any named lock (verification locks its scratch database this way); empty when held elsewhere. */
    public Optional<Held> tryLock(String name) {
        long key = HexFormat.fromHexDigitsToLong(Tokens.sha256Hex(name), 0, 16);
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            boolean locked;
            try (var statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, key);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    locked = rows.getBoolean(1);
                }
            }
            if (!locked) {
                connection.close();
                return Optional.empty();
            }
            Connection held = connection;
            return Optional.of(() -> release(held, key));
        } catch (SQLException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // already failing
                }
            }
            throw new IllegalStateException("cannot take the database lock: " + e.getMessage(), e);
        }
    }

    private static void release(Connection connection, long key) {
        try (connection; var statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, key);
            statement.execute();
        } catch (SQLException ignored) {
            // closing the connection releases the lock anyway
        }
    }
}
