package io.autobus.verify;

import io.autobus.dump.DatabaseUrl;
import io.autobus.db.PostgresBinaries;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The PostgreSQL that restores are tried on: {@code VERIFY_POSTGRES_URL} (an admin URL on a server
 * where databases and roles may be created) or an embedded PostgreSQL of one major version this
 * worker starts on first use (only this worker knows its superuser's password); closing stops it,
 * and the next use starts it again. Never the customer's server. {@link PostgresScratchServers}
 * picks one per snapshot.
 *
 * <p>Each scratch database is owned by a role made for it alone: a login with no superuser, no
 * CREATEDB/CREATEROLE/REPLICATION/BYPASSRLS, member of no role (so none of
 * {@code pg_execute_server_program}, {@code pg_read_server_files}, {@code pg_write_server_files}),
 * and no other database lets it in. The administrator only creates and drops, and creates the
 * allowed extensions an archive needs ({@link #createExtensions}) in that empty database.
 */
final class PostgresScratch implements ScratchServer, AutoCloseable {
    private final Optional<DatabaseUrl> configured;
    private final Path verifyRoot;
    private final int embeddedMajor;
    private EmbeddedVerifyServer embedded;

    /**
     * @param adminUrl   {@code VERIFY_POSTGRES_URL}; empty starts an embedded server of {@link PostgresBinaries#METADATA_MAJOR}
     * @param verifyRoot where an embedded server keeps its data ({@code AUTOBUS_HOME/verify})
     */
    PostgresScratch(Optional<String> adminUrl, Path verifyRoot) {
        this(adminUrl, verifyRoot, PostgresBinaries.METADATA_MAJOR);
    }

    /** @param embeddedMajor the major of the embedded server started when {@code adminUrl} is empty */
    PostgresScratch(Optional<String> adminUrl, Path verifyRoot, int embeddedMajor) {
        this.configured = adminUrl.map(DatabaseUrl::parse);
        this.verifyRoot = verifyRoot;
        this.embeddedMajor = embeddedMajor;
    }

    /** True when this is an embedded server (started on first use, stopped when idle), not a configured one. */
    boolean embedded() {
        return configured.isEmpty();
    }

    /** Whether an embedded server is running now. */
    synchronized boolean running() {
        return embedded != null;
    }

    private synchronized DatabaseUrl admin() {
        if (configured.isPresent()) {
            return configured.get();
        }
        if (embedded == null) {
            embedded = EmbeddedVerifyServer.start(verifyRoot, embeddedMajor);
            lockDown(embedded.admin());
        }
        return embedded.admin();
    }

    /** Our own server: scratch logins may enter nothing but their database. */
    private void lockDown(DatabaseUrl admin) {
        try (var connection = connect(admin); var statement = connection.createStatement()) {
            statement.execute("REVOKE CONNECT, TEMPORARY ON DATABASE postgres, template1 FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the embedded verification PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public int majorVersion() throws SQLException {
        try (var connection = connect(admin())) {
            return connection.getMetaData().getDatabaseMajorVersion();
        }
    }

    @Override
    public DatabaseUrl create(String name) throws SQLException {
        String password = ScratchServer.newPassword();
        String role = quote(name);
        try (var connection = connect(admin()); var statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' NOSUPERUSER NOCREATEDB NOCREATEROLE"
                    + " NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 4");
            statement.execute("CREATE DATABASE " + role + " OWNER " + role);
            // Nobody else connects to it (CONNECT is PUBLIC's by default).
            statement.execute("REVOKE ALL ON DATABASE " + role + " FROM PUBLIC");
        }
        DatabaseUrl admin = admin();
        return new DatabaseUrl(admin.engine(), name, password, admin.host(), admin.port(), name, admin.parameters());
    }

    /**
     * As the administrator, in the still empty scratch database: each schema the extensions go
     * to (owned by the scratch role, as the restore would have made it) and each extension.
     * Nothing of the archive runs here: names are quoted, and the caller allows only known
     * extensions.
     */
    void createExtensions(String name, List<ArchiveExtensions.Extension> extensions) throws SQLException {
        DatabaseUrl admin = admin();
        var database = new DatabaseUrl(admin.engine(), admin.user(), admin.password(), admin.host(), admin.port(), name,
                admin.parameters());
        try (var connection = connect(database); var statement = connection.createStatement()) {
            for (var extension : extensions) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(extension.schema()) + " AUTHORIZATION " + quote(name));
                statement.execute("CREATE EXTENSION IF NOT EXISTS " + quote(extension.name()) + " WITH SCHEMA "
                        + quote(extension.schema()) + " CASCADE");
            }
        }
    }

    @Override
    public void drop(String name) throws SQLException {
        try (var connection = connect(admin()); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
            statement.execute("DROP ROLE IF EXISTS " + quote(name));
        }
    }

    @Override
    public List<String> scratchDatabases() throws SQLException {
        synchronized (this) {
            if (configured.isEmpty() && embedded == null) {
                return List.of(); // a fresh embedded server has nothing left over
            }
        }
        var names = new TreeSet<String>();
        try (var connection = connect(admin());
             var statement = connection.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, ?)"
                     + " UNION SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?)")) {
            statement.setString(1, PREFIX);
            statement.setString(2, PREFIX);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return new ArrayList<>(names);
    }

    @Override
    public Connection connect(DatabaseUrl database) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", database.user());
        properties.setProperty("password", database.password());
        properties.setProperty("ApplicationName", "autobus-verify");
        properties.setProperty("connectTimeout", "15");
        return DriverManager.getConnection(database.postgresJdbcUrl(), properties);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public synchronized void close() throws IOException {
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }
}
