package io.autobus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Customer databases on this machine's real servers, and the seed's own restore commands. */
public final class SourceDatabases {
    private SourceDatabases() {
    }

    public static Connection postgres(String url) throws SQLException {
        return DriverManager.getConnection(url.replace("postgres://postgres@", "jdbc:postgresql://"), "postgres", "");
    }

    /**
     * A fresh PostgreSQL database holding {@code mebibytes} MiB that do not compress (md5 of random
     * values), so that a dump takes several 8 MiB parts, or a few seconds; returns its URL.
     */
    public static String incompressiblePostgres(String prefix, int mebibytes) throws SQLException {
        String url = TestDatabase.create(prefix);
        try (var connection = postgres(url); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE blobs (id int PRIMARY KEY, data bytea)");
            statement.execute("INSERT INTO blobs SELECT i, (SELECT decode(string_agg(md5(random()::text || j), ''), 'hex') "
                    + "FROM generate_series(1, 65536) j) FROM generate_series(1, " + mebibytes + ") i");
            statement.execute("ANALYZE blobs"); // as autovacuum would have: the server's row estimate is known
        }
        return url;
    }

    /**
     * A fresh PostgreSQL database whose one table {@code t} has a CHECK constraint calling a
     * function that runs {@code statement} (PL/pgSQL) only inside a verification's scratch
     * database, that is while Autobus restores a snapshot of it; returns its URL.
     */
    public static String checkedDuringVerification(String prefix, String statement) throws SQLException {
        String url = TestDatabase.create(prefix);
        try (var connection = postgres(url); var sql = connection.createStatement()) {
            sql.execute("CREATE FUNCTION public.hook(v int) RETURNS bool LANGUAGE plpgsql AS $f$ BEGIN"
                    + " IF current_database() LIKE 'autobus_verify_%' THEN " + statement + "; END IF; RETURN true; END $f$");
            sql.execute("CREATE TABLE t (v int CHECK (public.hook(v)))");
            sql.execute("INSERT INTO t VALUES (1)");
        }
        return url;
    }

    /**
     * A fresh MariaDB database whose view calls a function of another database, which a restore anywhere else does not
     * have: a snapshot of it is stored whole and never restores. Returns {source, other}.
     */
    public static String[] mariadbWithViewOfAnotherDatabase() throws SQLException {
        String other = createMariadb("other");
        String source = createMariadb("crossdb");
        try (var connection = mariadb(other); var statement = connection.createStatement()) {
            statement.execute("CREATE FUNCTION twice(v INT) RETURNS INT DETERMINISTIC RETURN v * 2");
        }
        try (var connection = mariadb(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (v INT)");
            statement.execute("INSERT INTO t VALUES (1), (2)");
            statement.execute("CREATE VIEW doubled AS SELECT `" + other + "`.twice(v) AS w FROM t");
        }
        return new String[] {source, other};
    }

    /** A fresh MariaDB database; returns its name. */
    public static String createMariadb(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (var connection = mariadb(""); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB on 127.0.0.1:3306 (root, no password) is needed: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var connection = mariadb(""); var statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name);
            } catch (SQLException ignored) {
                // best effort
            }
        }));
        return name;
    }

    public static Connection mariadb(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + database, "root", "");
    }

    /** Each query's rows, one line per row, columns separated by '|'. */
    public static List<String> rows(Connection connection, String... queries) throws SQLException {
        var lines = new ArrayList<String>();
        for (String query : queries) {
            lines.add("-- " + query);
            try (var statement = connection.createStatement(); var rows = statement.executeQuery(query)) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    var line = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        line.append(i > 1 ? "|" : "").append(rows.getString(i));
                    }
                    lines.add(line.toString());
                }
            }
        }
        return lines;
    }

    /** Downloads a URL to a file, as a customer's browser would; returns the Content-Disposition. */
    public static String download(URI url, Path file) {
        try {
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofFile(file));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("download answered " + response.statusCode() + ": " + Files.readString(file));
            }
            return response.headers().firstValue("Content-Disposition").orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A finished command: exit code and everything it printed. */
    public record Ran(int exit, String output) {
    }

    /** Runs a pipeline of commands (argument lists, no shell) and waits for it. */
    @SafeVarargs
    public static Ran run(List<String>... commands) {
        try {
            var builders = new ArrayList<ProcessBuilder>();
            for (List<String> command : commands) {
                builders.add(new ProcessBuilder(command));
            }
            builders.getLast().redirectErrorStream(true);
            var processes = ProcessBuilder.startPipeline(builders);
            var errors = new StringBuilder();
            for (int i = 0; i < processes.size() - 1; i++) {
                errors.append(new String(processes.get(i).getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            String output = new String(processes.getLast().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = 0;
            for (Process process : processes) {
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out: " + process.info().commandLine().orElse(""));
                }
                exit = Math.max(exit, process.exitValue());
            }
            return new Ran(exit, errors + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
