package io.autobus.dump;

import io.autobus.dump.DatabaseUrl;
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

/**
 * {@code mysqldump} / {@code mariadb-dump} piped through {@code gzip}, its rows counted on the way
 * ({@link MysqlRowCounter}): a {@code .sql.gz} that {@code gzip -d -c FILE | mysql} restores. Works for MySQL (JawsDB, ClearDB) and MariaDB
 * (JawsDB Maria), adding the flags each client/server pair needs. The password goes through a
 * defaults file readable only by us, never the command line.
 */
public final class MysqlDumper implements Dumper {
    /**
     * mariadb-dump (10.11.8+, 11.x) starts with {@code /*M!999999\- enable the sandbox mode *}{@code /}, which Oracle's
     * {@code mysql} client refuses ("unknown command '\-'"), so that file would restore with one client only. The line
     * only turns on the restoring client's sandbox (no {@code \!} shell commands from the dump), which matters to whoever
     * restores a dump of a server they do not trust: our verification passes {@code --sandbox} itself, and a customer
     * restores a dump of their own database. So it is dropped for every server: one rule, one file for both clients.
     * {@code sed} as a pipeline stage (no shell), touching the first line only.
     */
    static final List<String> WITHOUT_SANDBOX_LINE = List.of("sed", "-e", "1{/^\\/\\*M!999999\\\\- enable the sandbox mode \\*\\/ *$/d;}");

    private final Tools tools;

    public MysqlDumper(Tools tools) {
        this.tools = tools;
    }

    @Override
    public String fileExtension() {
        return "sql.gz";
    }

    @Override
    public Dump start(DatabaseUrl url, InetAddress address, DumpOptions options) {
        options.checkForMysql();
        Path anyClient = tools.first("mariadb-dump", "mysqldump").orElseThrow(() -> new DumpException(
                "mysqldump is not installed on this machine (install mariadb-client; on Heroku it comes from the Aptfile)"));
        // pigz compresses on every core (gzip on one, and at level 1 gzip is still what bounds a text-heavy
        // dump); its output is ordinary gzip, restored by gzip -d.
        Path gzip = tools.first("pigz", "gzip").orElseThrow(() -> new DumpException("gzip is not installed on this machine"));
        Connection connection = connect(url, address);
        ToolRun run = null;
        try {
            String serverVersion = RunningDump.queryString(connection, "SELECT VERSION()");
            boolean mariadbServer = serverVersion.contains("MariaDB");
            // Oracle's mysqldump for MySQL servers where it is installed (its dump is MySQL's own); mariadb-dump otherwise.
            Path client = mariadbServer || !options.excludeTableData().isEmpty() ? anyClient : oracleMysqldump().orElse(anyClient);
            boolean mariadbClient = Tools.versionOf(client).contains("MariaDB");
            if (!options.excludeTableData().isEmpty() && !mariadbClient) {
                throw new DumpException("excluding only a table's data needs mariadb-dump (MySQL's mysqldump cannot)");
            }
            var readable = MysqlReadability.of(connection, url.database(), url.user());
            run = tools.newRun();
            Path defaults = run.writePrivateFile("client.cnf", defaultsFile(url));
            // mariadb-dump has no timeout option of its own (10.11: --connect-timeout is the mariadb client's, and
            // the defaults file refuses it). The JDBC connection above, with timeouts, proved the server answers;
            // a dump that stalls later is killed by the job's deadline (BackupRunner).
            // mysqldump takes exact names: patterns (logs_*) are expanded against the tables there are now.
            var tables = tableNames(connection, url.database());
            var excluded = new Exclusions(TablePatterns.expand(options.excludeTables(), tables),
                    TablePatterns.expand(options.excludeTableData(), tables), readable);
            var dump = new ArrayList<>(List.of(run.apply(new ProcessBuilder(command(client, mariadbClient, mariadbServer, serverVersion,
                    defaults, url, address, excluded)), Map.of())));
            if (mariadbClient) {
                dump.add(run.apply(new ProcessBuilder(WITHOUT_SANDBOX_LINE), Map.of()));
            }
            // gzip -1 unless the customer chose: gzip, not mysqldump, bounds the time at higher levels.
            var compress = run.apply(new ProcessBuilder(gzip.toString(), "-c", "-n",
                    "-" + (options.compressionLevel() == null ? 1 : Math.max(1, options.compressionLevel()))), Map.of());
            // The rows are counted in the SQL on its way to the compressor: exact for every table, at no query's cost.
            var progress = new DumpProgress();
            var counter = new MysqlRowCounter(progress);
            var pipeline = ToolPipeline.start(dump, counter, List.of(compress), url.password());
            return new RunningDump(pipeline, pipeline.output(), progress, serverVersion, new RunningDump.DumpTool(Tools.describe(client), null, "mysql / mariadb client"),
                    RunningDump.gather(() -> statistics(connection, url.database(), excluded, progress)), connection, run::close)
                    .partial(readable.reason());
        } catch (SQLException e) {
            cleanUp(connection, run);
            throw new DumpException("could not read the MySQL server: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanUp(connection, run);
            throw e;
        }
    }

    /** An installed Oracle mysqldump (not MariaDB's under that name). */
    private java.util.Optional<Path> oracleMysqldump() {
        return tools.all("mysqldump").stream().filter(tool -> {
            String version = Tools.versionOf(tool);
            return !version.isEmpty() && !version.contains("MariaDB");
        }).findFirst();
    }

    private static List<String> command(Path client, boolean mariadbClient, boolean mariadbServer, String serverVersion,
                                        Path defaults, DatabaseUrl url, InetAddress address, Exclusions excluded) {
        var args = new ArrayList<>(List.of(client.toString(),
                // Must come first; only this file is read (not /etc/mysql or ~/.my.cnf).
                "--defaults-file=" + defaults,
                "--protocol=TCP", "--host=" + address.getHostAddress(), "--port=" + url.port(), "--user=" + url.user(),
                "--single-transaction", "--quick", "--hex-blob",
                "--default-character-set=utf8mb4",
                // Heroku's MySQL users lack the PROCESS privilege that tablespace dumps need.
                "--no-tablespaces"));
        boolean tls = useTls(url);
        if (mariadbClient) {
            args.add(tls ? "--ssl" : "--skip-ssl");
        } else {
            args.add(tls ? "--ssl-mode=REQUIRED" : "--ssl-mode=DISABLED");
            // A dump restorable on another server: no SET @@GLOBAL.GTID_PURGED (needs SUPER there).
            args.add("--set-gtid-purged=OFF");
            if (mariadbServer || !serverVersion.startsWith("8") && !serverVersion.startsWith("9")) {
                // MySQL 8's client asks for column statistics that MariaDB and MySQL 5.7 do not have.
                args.add("--column-statistics=0");
            }
        }
        args.addAll(excluded.readable().flags());
        excluded.tables().forEach(table -> args.add("--ignore-table=" + url.database() + "." + table));
        excluded.tableData().forEach(table -> args.add("--ignore-table-data=" + url.database() + "." + table));
        // After "--" the name is a name, even one that looks like an option (--result-file=...).
        args.add("--");
        args.add(url.database());
        return args;
    }

    /** Exact names of the tables left out, or whose rows are left out; the kinds of objects that may be read. */
    private record Exclusions(List<String> tables, List<String> tableData, MysqlReadability readable) {
        List<String> withoutData() {
            var names = new ArrayList<>(tables);
            names.addAll(tableData);
            return names;
        }
    }

    /**
     * The tables' sizes and row estimates, also told to {@code progress} as its yardstick; the rows of the tables
     * whose data the dump holds are counted in the stream ({@link MysqlRowCounter}).
     */
    private static DatabaseStatistics statistics(Connection connection, String database, Exclusions excluded, DumpProgress progress) {
        var tables = MysqlTables.read(connection, database);
        progress.tableRowEstimates(tables.rowEstimates());
        progress.tableSizes(tables.dataSizes());
        progress.dumpedTables(tables.withDataDumped(excluded.withoutData()));
        return tables.estimates();
    }

    private static List<String> tableNames(Connection connection, String database) throws SQLException {
        var names = new ArrayList<String>();
        try (var statement = connection.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
            statement.setString(1, database);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** TLS off this machine unless the URL turns it off ({@code ?ssl=false}, {@code ?sslmode=disable}, {@code ?useSSL=false}). */
    public static boolean useTls(DatabaseUrl url) {
        var parameters = url.parameters();
        boolean disabled = "false".equalsIgnoreCase(parameters.get("ssl")) || "false".equalsIgnoreCase(parameters.get("useSSL"))
                || "disable".equalsIgnoreCase(parameters.get("sslmode")) || "disabled".equalsIgnoreCase(parameters.get("ssl-mode"));
        return !url.localHost() && !disabled;
    }

    /**
     * The {@code [client]} group with the password, one value per line, quoted and escaped. A value
     * with a line break or another control character could add options (a second group, a
     * {@code result-file}): it is refused, whatever the URL parser let through.
     */
    public static String defaultsFile(DatabaseUrl url) {
        return "[client]\npassword=" + optionValue("password", url.password()) + "\n";
    }

    /** A MySQL option-file value: double-quoted, backslashes and quotes escaped, no control characters. */
    static String optionValue(String what, String value) {
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new DumpException("the database URL's " + what + " holds a control character (a line break, say); "
                    + "Autobus refuses it rather than pass it to the MySQL client");
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public Reachable check(DatabaseUrl url, InetAddress address) {
        Path client = tools.first("mariadb-dump", "mysqldump").orElseThrow(() -> new DumpException(
                "mysqldump is not installed on this machine (install mariadb-client; on Heroku it comes from the Aptfile)"));
        tools.first("pigz", "gzip").orElseThrow(() -> new DumpException("gzip is not installed on this machine"));
        try (Connection connection = connect(url, address)) {
            String serverVersion = RunningDump.queryString(connection, "SELECT VERSION()");
            tableNames(connection, url.database()); // the login may list the database's tables
            String product = serverVersion.contains("MariaDB") ? "MariaDB " : "MySQL ";
            return new Reachable(product + serverVersion.split("-")[0], Tools.describe(client));
        } catch (SQLException e) {
            throw new DumpException("could not read the MySQL server: " + e.getMessage(), e);
        }
    }

    public static Connection connect(DatabaseUrl url, InetAddress address) {
        var properties = new Properties();
        properties.setProperty("user", url.user());
        properties.setProperty("password", url.password());
        // A host that accepts and never answers must not hold a worker: 15 s to connect and log in
        // (Connector/J applies it to the handshake too). Then no read waits more than 10 min: this
        // connection stays open through the whole dump but idles after the statistics (information_schema
        // only; the rows are counted in the dump's stream); hitting it costs the statistics, never the dump.
        properties.setProperty("connectTimeout", "15000");
        properties.setProperty("socketTimeout", "600000");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("sslMode", useTls(url) ? "trust" : "disable");
        try {
            // No database in the URL (a name holding "?" would add driver options): USE it, quoted by the driver.
            var connection = DriverManager.getConnection("jdbc:mariadb://" + CustomerAddresses.urlHost(address) + ":" + url.port() + "/",
                    properties);
            try {
                connection.setCatalog(url.database());
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return connection;
        } catch (SQLException e) {
            // Not chained: the driver's message, which may quote the password, must not reach a log through its cause.
            throw new DumpException(url.blanked("could not connect to " + url + ": " + e.getMessage()));
        }
    }

    private static void cleanUp(Connection connection, ToolRun run) {
        RunningDump.closeQuietly(connection);
        if (run != null) {
            run.close();
        }
    }
}
