package io.autobus.backup;

import io.autobus.crypto.Tokens;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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

    /** The database, and one of the add-on's {@code addonSlots} backup slots; empty when either is taken. */
    public Optional<Held> tryLock(UUID addonId, String configVar, int addonSlots) {
        return tryLockInSlot("backups:" + addonId, addonSlots, "backup:" + addonId + ":" + configVar);
    }

    /** Any named lock (verification locks its scratch database this way); empty when held elsewhere. */
    public Optional<Held> tryLock(String name) {
        return tryLockInSlot(null, 0, name);
    }

    /**
     * One of {@code slots} numbered locks ({@code <slotGroup>#1}..) and then the named lock, both on
     * one connection, so a running job holds one connection whatever it locks: at most
     * {@code slots} jobs of that group run at once, across every worker. Empty when all slots,
     * or the named lock, are held elsewhere.
     */
    public Optional<Held> tryLockInSlot(String slotGroup, int slots, String name) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            var keys = new ArrayList<Long>();
            for (int slot = 1; slot <= slots && keys.isEmpty(); slot++) {
                long key = key(slotGroup + "#" + slot);
                if (tryAdvisoryLock(connection, key)) {
                    keys.add(key);
                }
            }
            if (keys.size() == (slots > 0 ? 1 : 0) && tryAdvisoryLock(connection, key(name))) {
                keys.add(key(name));
                Connection held = connection;
                return Optional.of(() -> release(held, keys));
            }
            release(connection, keys);
            return Optional.empty();
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

    private static long key(String name) {
        return HexFormat.fromHexDigitsToLong(Tokens.sha256Hex(name), 0, 16);
    }

    private static boolean tryAdvisoryLock(Connection connection, long key) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static void release(Connection connection, List<Long> keys) {
        try (connection; var statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            for (long key : keys) {
                statement.setLong(1, key);
                statement.execute();
            }
        } catch (SQLException ignored) {
            // closing the connection releases the locks anyway
        }
    }
}
