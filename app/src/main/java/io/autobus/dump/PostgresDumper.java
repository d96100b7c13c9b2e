package io.autobus.dump;

import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.net.CustomerAddresses;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pg_dump -Fc}: the custom format that {@code pg_restore} and
 * {@code heroku pg:backups:restore} read, written by the pg_dump of the server's own major when
 * installed, else the nearest newer ({@link PgDumpChoice}); the dump says which, why, and which
 * pg_restore restores it. Statistics are taken in the very snapshot pg_dump
 * dumps: we export a snapshot from a repeatable-read transaction, hand it to pg_dump with
 * {@code --snapshot}, and count in that transaction while the dump runs.
 */
public final class PostgresDumper implements Dumper {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    static final int DEFAULT_COMPRESSION = 1;

    /** How long pg_dump waits for each table's share lock behind someone's exclusive one. */
    static final String LOCK_WAIT_TIMEOUT = "10min";

    private final Tools tools;
    private final CompressionThreads compression;

    public PostgresDumper(Tools tools, CompressionThreads compression) {
        this.tools = tools;
        this.compression = compression;
    }

    @Override
    public String fileExtension() {
        return "dump";
    }

    @Override
    public Dump start(DatabaseUrl url, InetAddress address, DumpOptions options) {
        Connection connection = connect(url, address);
        ToolRun run = null;
        try {
            // Below the socket timeout: the server gives up on a query first (lock waits included), cleanly.
            RunningDump.queryString(connection, "SELECT set_config('statement_timeout', '9min', false)");
            int serverMajor = connection.getMetaData().getDatabaseMajorVersion();
            String serverVersion = RunningDump.queryString(connection, "SHOW server_version").split(" ")[0];
            var installed = installedPgDumps();
            var choice = PgDumpChoice.choose(serverMajor, installed.stream().map(PgDump::major).toList());
            PgDump pgDump = installed.stream().filter(p -> p.major() == choice.major()).findFirst().orElseThrow();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            String snapshot = RunningDump.queryString(connection, "SELECT pg_export_snapshot()");
            run = tools.newRun();
            var pipeline = ToolPipeline.start(List.of(command(pgDump.path, url, address, options, snapshot, run)), url.password());
            var tool = new RunningDump.DumpTool(Tools.describe(pgDump.path()), choice.note(), ArchiveHeader.restoreWith(pgDump.major()));
            var progress = new DumpProgress();
            int level = options.compressionLevel() == null ? DEFAULT_COMPRESSION : options.compressionLevel();
            var archive = new PgArchiveStream(pipeline.output(), progress, compression.pool(), compression.blocksPerDump(), level);
            return new RunningDump(pipeline, archive, progress, serverVersion, tool, RunningDump.gather(() -> statistics(connection, progress)),
                    connection, run::close);
        } catch (SQLException e) {
            cleanUp(connection, run);
            throw new DumpException("could not read the PostgreSQL server: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanUp(connection, run);
            throw e;
        }
    }

    @Override
    public Reachable check(DatabaseUrl url, InetAddress address) {
        try (Connection connection = connect(url, address)) {
            int serverMajor = connection.getMetaData().getDatabaseMajorVersion();
            String serverVersion = RunningDump.queryString(connection, "SHOW server_version").split(" ")[0];
            var installed = installedPgDumps();
            var choice = PgDumpChoice.choose(serverMajor, installed.stream().map(PgDump::major).toList());
            PgDump pgDump = installed.stream().filter(p -> p.major() == choice.major()).findFirst().orElseThrow();
            var unreadable = unreadableTables(connection);
            if (!unreadable.isEmpty()) {
                throw new DumpException(url.user() + " cannot read " + String.join(", ", unreadable)
                        + " (pg_dump would fail on it): grant it SELECT, or attach the database with a login that can read every table");
            }
            return new Reachable("PostgreSQL " + serverVersion, Tools.describe(pgDump.path()));
        } catch (SQLException e) {
            throw new DumpException("could not read the PostgreSQL server: " + e.getMessage(), e);
        }
    }

    /** Up to five tables or sequences the login may not read, schema-qualified. */
    private static List<String> unreadableTables(Connection connection) throws SQLException {
        try (var statement = connection.prepareStatement("""
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'S', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\_toast%' AND NOT has_table_privilege(c.oid, 'SELECT')
                ORDER BY 1 LIMIT 5""");
             var rows = statement.executeQuery()) {
            var names = new java.util.ArrayList<String>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }

    private static void cleanUp(Connection connection, ToolRun run) {
        RunningDump.closeQuietly(connection);
        if (run != null) {
            run.close();
        }
    }

    private ProcessBuilder command(Path pgDump, DatabaseUrl url, InetAddress address, DumpOptions options, String snapshot,
                                   ToolRun run) {
        var args = new ArrayList<>(List.of(pgDump.toString(), "--format=custom", "--no-password",
                "--host=" + url.host(), "--port=" + url.port(), "--username=" + url.user(),
                "--snapshot=" + snapshot,
                // A customer's exclusive lock (a long migration) fails the dump instead of stalling it.
                // PGOPTIONS could not help: pg_dump sets statement_timeout, lock_timeout and
                // idle_in_transaction_session_timeout to 0 for its own session.
                "--lock-wait-timeout=" + LOCK_WAIT_TIMEOUT));
        options.excludeTables().forEach(table -> args.add("--exclude-table=" + exactPattern(table)));
        options.excludeTableData().forEach(table -> args.add("--exclude-table-data=" + exactPattern(table)));
        options.schemas().forEach(schema -> args.add("--schema=" + exactPattern(schema)));
        options.excludeSchemas().forEach(schema -> args.add("--exclude-schema=" + exactPattern(schema)));
        if (options.noOwner()) {
            args.add("--no-owner");
        }
        if (options.noAcl()) {
            args.add("--no-acl");
        }
        // Uncompressed: PgArchiveStream compresses the data on every core (pg_dump's one compression thread
        // bounded the backup) at the customer's level, or level 1: on 1 GB of text a third of the default
        // level's time for 3% more bytes (docs/BENCHMARKS.md).
        args.add("--compress=0");
        args.add("--dbname=" + conninfoDbname(url.database()));
        return run.apply(new ProcessBuilder(args), Map.of(
                "PGPASSWORD", url.password(),
                // libpq connects to hostaddr and still names --host to TLS: no second look-up
                "PGHOSTADDR", address.getHostAddress(),
                "PGSSLMODE", url.sslMode(),
                "PGCONNECT_TIMEOUT", "15",
                "PGAPPNAME", "autobus"));
    }

    /**
     * A database name as libpq connection-string syntax that means exactly that name: pg_dump
     * reads a {@code --dbname} holding {@code =} as a whole conninfo ({@code dbname=a host=elsewhere}),
     * so the name is always single-quoted, with quotes and backslashes escaped.
     */
    public static String conninfoDbname(String database) {
        return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * A name as a pg_dump pattern that means exactly that name: every part double-quoted (so case
     * and special characters are taken literally, as identifiers), only {@code *} and {@code ?}
     * left outside the quotes as wildcards. {@code public.Tmp_*} becomes {@code "public"."Tmp_"*}.
     */
    static String exactPattern(String name) {
        var pattern = new StringBuilder();
        for (String part : name.split("\\.", -1)) {
            if (!pattern.isEmpty()) {
                pattern.append('.');
            }
            var literal = new StringBuilder();
            for (char c : part.toCharArray()) {
                if (c == '*' || c == '?') {
                    if (!literal.isEmpty()) {
                        pattern.append('"').append(literal.toString().replace("\"", "\"\"")).append('"');
                        literal.setLength(0);
                    }
                    pattern.append(c);
                } else {
                    literal.append(c);
                }
            }
            if (!literal.isEmpty()) {
                pattern.append('"').append(literal.toString().replace("\"", "\"\"")).append('"');
            }
        }
        return pattern.toString();
    }

    private record PgDump(Path path, int major) {
    }

    /** Every installed pg_dump whose version can be read, one per major (the first found in search order). */
    private List<PgDump> installedPgDumps() {
        var byMajor = new java.util.LinkedHashMap<Integer, PgDump>();
        for (Path path : tools.all("pg_dump")) {
            Matcher matcher = VERSION.matcher(Tools.versionOf(path));
            if (matcher.find()) {
                byMajor.putIfAbsent(Integer.parseInt(matcher.group(1)), new PgDump(path, Integer.parseInt(matcher.group(1))));
            }
        }
        return List.copyOf(byMajor.values());
    }

    public static Connection connect(DatabaseUrl url, InetAddress address) {
        var properties = new Properties();
        properties.setProperty("user", url.user());
        properties.setProperty("password", url.password());
        // A host that accepts and never answers must not hold a worker: 10 s for TCP, 15 s for the
        // whole login (TLS, authentication), as pg_dump's PGCONNECT_TIMEOUT.
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "15");
        // No read may wait more than 10 min. This connection stays open through the whole dump, but
        // after the statistics (one catalog query: rows are counted from the dump stream) it is idle,
        // with no read pending. Hitting it costs the statistics, never the dump (pg_dump has its own connection).
        properties.setProperty("socketTimeout", "600");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "autobus");
        try {
            // Encoded, so that a name holding "?" or "&" cannot add driver options.
            return DriverManager.getConnection("jdbc:postgresql://" + CustomerAddresses.urlHost(address) + ":" + url.port() + "/"
                    + java.net.URLEncoder.encode(url.database(), java.nio.charset.StandardCharsets.UTF_8)
                    + "?sslmode=" + url.sslMode(), properties);
        } catch (SQLException e) {
            // Not chained: the driver's message, which may quote the password, must not reach a log through its cause.
            throw new DumpException(url.blanked("could not connect to " + url + ": " + e.getMessage()));
        }
    }

    /**
     * Each table's size, and its row estimate for tables whose data the dump leaves out: the rows of the others are
     * counted exactly from the dump stream ({@link RunningDump#statistics()}). The tables' own sizes (no indexes) are
     * the progress's yardstick.
     */
    private static DatabaseStatistics statistics(Connection connection, DumpProgress progress) {
        try (var statement = connection.prepareStatement("""
                SELECT n.nspname, c.relname, greatest(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid), pg_table_size(c.oid)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
                ORDER BY 1, 2""")) {
            var tables = new ArrayList<TableStatistics>();
            var tableSizes = new java.util.HashMap<String, Long>();
            var estimates = new java.util.HashMap<String, Long>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1) + "." + rows.getString(2);
                    tables.add(new TableStatistics(name, rows.getLong(3), false, rows.getLong(4)));
                    tableSizes.put(name, rows.getLong(5));
                    estimates.put(name, rows.getLong(3));
                }
            }
            progress.tableRowEstimates(estimates);
            progress.tableSizes(tableSizes);
            long databaseSize = Long.parseLong(RunningDump.queryString(connection, "SELECT pg_database_size(current_database())"));
            return new DatabaseStatistics(databaseSize, tables);
        } catch (SQLException e) {
            throw new DumpException("could not take the database's statistics: " + e.getMessage(), e);
        }
    }

}
