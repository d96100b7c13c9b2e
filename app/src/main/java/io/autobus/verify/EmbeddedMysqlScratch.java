package io.autobus.verify;

import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.Tools;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Scratch schemas on a private {@link EmbeddedMariadbServer} (no {@code VERIFY_MYSQL_URL}):
 * started on the first MySQL verification, stopped once no scratch schema has existed for
 * {@code idle}, and at close. Everything else is {@link MysqlScratch} against its root login.
 */
final class EmbeddedMysqlScratch implements ScratchServer, AutoCloseable {
    static final Duration IDLE = Duration.ofMinutes(10);

    private final Path verifyRoot;
    private final Tools tools;
    private final Duration idle;
    private final ScheduledExecutorService idleCheck;
    private final Set<String> inUse = new HashSet<>();
    private EmbeddedMariadbServer server;
    private long lastUsed;

    /**
     * @param verifyRoot where the server keeps its data ({@code AUTOBUS_HOME/verify})
     * @param idle       how long the server runs with no scratch schema before it is stopped
     */
    EmbeddedMysqlScratch(Path verifyRoot, Tools tools, Duration idle) {
        this.verifyRoot = verifyRoot;
        this.tools = tools;
        this.idle = idle;
        this.idleCheck = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("verify-mariadb-idle").factory());
        long period = Math.max(1, Math.min(idle.toSeconds() / 2, 30));
        idleCheck.scheduleWithFixedDelay(this::stopIfIdle, period, period, TimeUnit.SECONDS);
    }

    /** The running server, started if need be; counts as a use. */
    private synchronized MysqlScratch started() {
        lastUsed = System.nanoTime();
        if (server == null || !server.running()) {
            if (server != null) {
                server.close();
            }
            server = EmbeddedMariadbServer.start(verifyRoot, tools);
        }
        return new MysqlScratch(server.admin());
    }

    @Override
    public int majorVersion() throws SQLException {
        return started().majorVersion();
    }

    @Override
    public DatabaseUrl create(String name) throws SQLException {
        synchronized (this) {
            inUse.add(name);
        }
        return started().create(name);
    }

    @Override
    public void drop(String name) throws SQLException {
        try {
            started().drop(name);
        } finally {
            synchronized (this) {
                inUse.remove(name);
                lastUsed = System.nanoTime();
            }
        }
    }

    @Override
    public List<String> scratchDatabases() throws SQLException {
        synchronized (this) {
            if (server == null) {
                return List.of(); // a server not started holds nothing
            }
        }
        return started().scratchDatabases();
    }

    @Override
    public Connection connect(DatabaseUrl database) throws SQLException {
        return started().connect(database);
    }

    /** Whether the server runs now (tests). */
    synchronized boolean running() {
        return server != null && server.running();
    }

    private synchronized void stopIfIdle() {
        if (server != null && inUse.isEmpty() && System.nanoTime() - lastUsed >= idle.toNanos()) {
            server.close();
            server = null;
        }
    }

    @Override
    public synchronized void close() {
        idleCheck.shutdownNow();
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
