package io.autobus.bench;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A benchmark database on the local PostgreSQL or MariaDB, and what a user would type to dump
 * and restore it without Autobus. Commands are argument lists; pipes are process pipelines.
 */
record DataSet(Engine engine, String database) {
    enum Engine { POSTGRES, MYSQL }

    /** {@code postgres:NAME} or {@code mysql:NAME}. */
    static DataSet parse(String text) {
        String[] parts = text.split(":", 2);
        return new DataSet(Engine.valueOf(parts[0].toUpperCase(Locale.ROOT)), parts[1]);
    }

    String label() {
        return engine == Engine.POSTGRES ? "PostgreSQL" : "MariaDB";
    }

    String url() {
        return url(database);
    }

    private String url(String name) {
        return engine == Engine.POSTGRES ? "postgres://postgres@127.0.0.1:5432/" + name : "mysql://root@127.0.0.1:3306/" + name;
    }

    /** The empty database {@code name} on the same server, as a URL to attach (a restore's target). */
    String urlOf(String name) {
        return url(name);
    }

    /** Drops and creates {@code target}, empty. */
    void createEmpty(String target) throws SQLException {
        drop(target);
        try (var connection = admin(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + target);
        }
    }

    /** The name it is attached under on the dashboard; the API calls it {@code NAME_URL}. */
    String attachName() {
        return database.toUpperCase(Locale.ROOT);
    }

    String configVar() {
        return attachName() + "_URL";
    }

    String plainCommand() {
        return engine == Engine.POSTGRES ? "pg_dump -Fc -f FILE" : "mysqldump --single-transaction --quick DB | gzip > FILE";
    }

    String restoreCommand() {
        return engine == Engine.POSTGRES ? "pg_restore --no-owner --no-acl -d EMPTY FILE" : "gzip -d -c FILE | mysql EMPTY";
    }

    /** What the user types, timed; the dump goes to {@code file}. */
    double plainDump(Path file) throws IOException, InterruptedException {
        if (engine == Engine.POSTGRES) {
            return timed(file, List.of("pg_dump", "-Fc", "-h", "127.0.0.1", "-U", "postgres", "-f", file.toString(), database));
        }
        return timed(file, List.of("mysqldump", "-uroot", "-h127.0.0.1", "--single-transaction", "--quick", database), List.of("gzip"));
    }

    /** Restores a dump into a new empty database {@code target}, timed (creating the database is not). */
    double plainRestore(Path file, String target) throws IOException, InterruptedException, SQLException {
        createEmpty(target);
        if (engine == Engine.POSTGRES) {
            return timed(null, List.of("pg_restore", "--no-owner", "--no-acl", "-h", "127.0.0.1", "-U", "postgres", "-d", target, file.toString()));
        }
        return timed(null, List.of("gzip", "-d", "-c", file.toString()), List.of("mysql", "-uroot", "-h127.0.0.1", target));
    }

    void drop(String target) throws SQLException {
        try (var connection = admin(); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + target);
        }
    }

    /** Bytes the database takes on its server. */
    long sizeBytes() throws SQLException {
        String query = engine == Engine.POSTGRES ? "SELECT pg_database_size(current_database())"
                : "SELECT sum(data_length + index_length) FROM information_schema.tables WHERE table_schema = database()";
        try (var connection = connect(database); var result = connection.createStatement().executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Exact row count of every table of {@code name}, by table name. */
    TreeMap<String, Long> rowCounts(String name) throws SQLException {
        var counts = new TreeMap<String, Long>();
        String tables = engine == Engine.POSTGRES
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = database() AND table_type = 'BASE TABLE'";
        try (var connection = connect(name); var statement = connection.createStatement()) {
            var names = new ArrayList<String>();
            try (var result = statement.executeQuery(tables)) {
                while (result.next()) {
                    names.add(result.getString(1));
                }
            }
            for (String table : names) {
                try (var result = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    result.next();
                    counts.put(table, result.getLong(1));
                }
            }
        }
        return counts;
    }

    /** The server's and the dump tool's versions, for the report. */
    String versions() throws SQLException, IOException, InterruptedException {
        try (var connection = connect(database)) {
            String server = connection.getMetaData().getDatabaseProductVersion();
            String tool = output(engine == Engine.POSTGRES ? List.of("pg_dump", "--version") : List.of("mysqldump", "--version"));
            return label() + " " + server.replaceAll("\\s.*", "") + " (" + tool.trim() + ")";
        }
    }

    private Connection admin() throws SQLException {
        return connect(engine == Engine.POSTGRES ? "postgres" : "mysql");
    }

    private Connection connect(String name) throws SQLException {
        return DriverManager.getConnection(engine == Engine.POSTGRES
                ? "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres"
                : "jdbc:mariadb://127.0.0.1:3306/" + name + "?user=root");
    }

    /** Runs a pipeline to its end; its standard output goes to {@code output} (or nowhere); seconds taken. */
    @SafeVarargs
    static double timed(Path output, List<String>... commands) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("bench", ".stderr");
        var builders = new ArrayList<ProcessBuilder>();
        for (List<String> command : commands) {
            builders.add(new ProcessBuilder(command).redirectError(Redirect.appendTo(errors.toFile())));
        }
        builders.getLast().redirectOutput(output == null ? Redirect.DISCARD : Redirect.to(output.toFile()));
        long started = System.nanoTime();
        var processes = ProcessBuilder.startPipeline(builders);
        for (Process process : processes) {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", commands[0]) + "... failed:\n" + Files.readString(errors));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.delete(errors);
        return seconds;
    }

    static String output(List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return text;
    }
}
