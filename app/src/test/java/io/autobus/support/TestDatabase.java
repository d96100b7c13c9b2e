package io.autobus.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A fresh database on the machine's real PostgreSQL (127.0.0.1:5432, user postgres), dropped
 * when the test JVM exits. {@code scripts/test} makes sure that server is running.
 */
public final class TestDatabase {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private TestDatabase() {
    }

    /** Creates the database and returns its URL in Heroku's form. */
    public static String create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
        return "postgres://postgres@127.0.0.1:5432/" + name;
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
