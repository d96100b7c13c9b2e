package io.autobus.db;

import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.ToolRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server the service starts itself, from {@link PostgresBinaries}: its metadata
 * store without DATABASE_URL, and the embedded verifier. Only we can enter it: every role,
 * the superuser included, logs in with a password (scram-sha-256) that only the service knows;
 * it listens on 127.0.0.1 and has no Unix socket; its data directory is private. The server is
 * the service's own child with a scrubbed environment (it never sees our keys). As root (a
 * container), it runs in a user namespace ({@code unshare -U}), since PostgreSQL refuses root.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final String password;
    private final Path data;

    private EmbeddedPostgresServer(Process process, int port, String password, Path data) {
        this.process = process;
        this.port = port;
        this.password = password;
        this.data = data;
    }

    /**
     * Starts a server on {@code data}, creating the cluster if the directory holds none. An
     * existing cluster gets {@code password} for its superuser first (in single-user mode, with
     * no network), so a cluster made by an earlier, password-less version is closed too.
     *
     * @param settings server settings ({@code -c name=value}), e.g. {@code fsync=off} for a scratch server
     */
    public static EmbeddedPostgresServer start(Path binaries, Path data, String password, Map<String, String> settings) {
        try {
            Files.createDirectories(data.getParent());
            if (Files.exists(data.resolve("PG_VERSION"))) {
                run(binaries, data, List.of("postgres", "--single", "-D", data.toString(), "-c", "exit_on_error=true", "postgres"),
                        "ALTER ROLE postgres PASSWORD '" + password + "';\n");
            } else {
                Path passwordFile = data.resolveSibling(data.getFileName() + ".password");
                Files.deleteIfExists(passwordFile);
                Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.writeString(passwordFile, password + "\n");
                    run(binaries, data, List.of("initdb", "-D", data.toString(), "-U", "postgres", "--auth=scram-sha-256",
                            "--pwfile=" + passwordFile, "-E", "UTF-8"), "");
                } finally {
                    Files.deleteIfExists(passwordFile);
                }
            }
            // Whatever the cluster held before: passwords for everyone, from loopback only.
            Files.writeString(data.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 scram-sha-256\n");
            int port = freePort();
            var command = new ArrayList<>(List.of("postgres", "-D", data.toString(), "-c", "listen_addresses=127.0.0.1",
                    "-c", "port=" + port, "-c", "unix_socket_directories=", "-c", "password_encryption=scram-sha-256"));
            settings.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
            Process process = builder(binaries, command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile()))
                    .start();
            var server = new EmbeddedPostgresServer(process, port, password, data);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL on " + data, e);
        }
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** The superuser's URL for {@code database}; its password is kept apart (never in logs). */
    public DatabaseUrl url(String database) {
        return new DatabaseUrl(DatabaseUrl.Engine.POSTGRESQL, "postgres", password, "127.0.0.1", port, database, Map.of());
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void awaitReady() {
        Instant until = Instant.now().plus(STARTUP);
        var properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        SQLException last = null;
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the embedded PostgreSQL stopped at start: " + logTail());
            }
            try (var connection = DriverManager.getConnection(jdbcUrl("postgres"), properties)) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100); // a server starting up: nothing to await but its answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the embedded PostgreSQL did not answer within " + STARTUP.toSeconds() + " s: "
                + (last == null ? "" : last.getMessage()) + " " + logTail());
    }

    private String logTail() {
        try {
            var lines = Files.readAllLines(data.resolve("server.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** Fast shutdown (SIGINT): sessions are ended, nothing committed is lost. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void run(Path binaries, Path data, List<String> command, String input) throws IOException {
        Path log = data.resolveSibling(data.getFileName() + ".setup.log");
        Process process = builder(binaries, command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " failed: " + Files.readString(log).strip());
            }
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    /** The program from our binaries, in a user namespace when we are root, with nothing of our environment. */
    private static ProcessBuilder builder(Path binaries, List<String> command) {
        var full = new ArrayList<String>();
        if (isRoot()) {
            full.addAll(List.of("unshare", "-U"));
        }
        full.add(binaries.resolve("bin").resolve(command.getFirst()).toString());
        full.addAll(command.subList(1, command.size()));
        var builder = new ProcessBuilder(full);
        builder.environment().clear();
        builder.environment().putAll(ToolRun.baseEnvironment());
        return builder;
    }

    private static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
