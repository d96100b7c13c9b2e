package io.autobus.verify;

import io.autobus.db.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The PostgreSQL that restores are tried on: {@code VERIFY_POSTGRES_URL} (an admin URL on a server
 * where databases may be created) or, when unset, an embedded PostgreSQL 17 this worker starts
 * on first use. Never the customer's server.
 */
final class PostgresScratch implements ScratchServer, AutoCloseable {
    private final Optional<DatabaseUrl> configured;
    private EmbeddedPostgres embedded;

    PostgresScratch(Optional<String> adminUrl) {
        this.configured = adminUrl.map(DatabaseUrl::parse);
    }

    private synchronized DatabaseUrl admin() {
        if (configured.isPresent()) {
            return configured.get();
        }
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded verification PostgreSQL", e);
            }
        }
        return DatabaseUrl.parse("postgres://postgres@127.0.0.1:" + embedded.getPort() + "/postgres");
    }

    @Override
    public int majorVersion() throws SQLException {
        try (var connection = connect(admin())) {
            return connection.getMetaData().getDatabaseMajorVersion();
        }
    }

    @Override
    public DatabaseUrl create(String name) throws SQLException {
        execute("CREATE DATABASE " + name);
        DatabaseUrl admin = admin();
        return new DatabaseUrl(admin.engine(), admin.user(), admin.password(), admin.host(), admin.port(), name, admin.parameters());
    }

    @Override
    public void drop(String name) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    @Override
    public List<String> scratchDatabases() throws SQLException {
        var names = new ArrayList<String>();
        synchronized (this) {
            if (configured.isEmpty() && embedded == null) {
                return names; // a fresh embedded server has nothing left over
            }
        }
        try (var connection = connect(admin());
             var statement = connection.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, ?)")) {
            statement.setString(1, PREFIX);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    @Override
    public Connection connect(DatabaseUrl database) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", database.user());
        properties.setProperty("password", database.password());
        properties.setProperty("ApplicationName", "autobus-verify");
        return DriverManager.getConnection(database.postgresJdbcUrl(), properties);
    }

    private void execute(String sql) throws SQLException {
        try (var connection = connect(admin()); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
