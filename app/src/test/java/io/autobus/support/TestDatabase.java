package io.autobus.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Fresh databases on the machine's real PostgreSQL (127.0.0.1:5432, user postgres), dropped
 * when the test JVM exits, after whatever still uses them was closed (one shutdown hook: hooks of
 * their own would run beside the drops, and a pool would wait on a dropped database). {@code scripts/test} makes sure that server is running.
 */
public final class TestDatabase {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final List<String> CREATED = new ArrayList<>();
    private static final List<Runnable> USERS = new ArrayList<>();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::cleanUp, "test-databases-cleanup"));
    }

    private TestDatabase() {
    }

    /** Creates the database and returns its URL in Heroku's form. */
    public static String create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        synchronized (CREATED) {
            CREATED.add(name);
        }
        return "postgres://postgres@127.0.0.1:5432/" + name;
    }

    /** Something to close at exit before the databases are dropped (a running app, say). */
    public static void closeAtExit(Runnable close) {
        synchronized (CREATED) {
            USERS.add(close);
        }
    }

    /**
     * Closes the users side by side (Surefire kills a test JVM that takes more than 30 s to exit, and then nothing is
     * dropped), at most {@link #CLOSE_WAIT}, saying where one that takes longer is stuck; then drops the databases.
     */
    private static void cleanUp() {
        synchronized (CREATED) {
            var closing = USERS.stream().map(close -> Thread.ofPlatform().name("test-close").start(() -> runQuietly(close))).toList();
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            for (Thread thread : closing) {
                try {
                    thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (thread.isAlive()) {
                    var stuck = new IllegalStateException("still closing after " + CLOSE_WAIT.toSeconds() + " s");
                    stuck.setStackTrace(thread.getStackTrace());
                    stuck.printStackTrace();
                }
            }
            CREATED.forEach(name -> runQuietly(() -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
        }
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException ignored) {
            // best effort at exit
        }
    }

    private static void execute(String sql) {
        try (var connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed for the tests (run scripts/test): " + e.getMessage(), e);
        }
    }
}
