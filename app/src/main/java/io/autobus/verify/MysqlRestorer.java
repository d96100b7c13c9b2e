package io.autobus.verify;

import io.autobus.backup.Snapshot;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.MysqlDumper;
import io.autobus.dump.ToolRun;
import io.autobus.dump.Tools;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * The {@code mysql} client reading the unpacked dump, its definers made the scratch user
 * ({@link DefinerRewriter}) and, for a MySQL server's dump restored on MariaDB, its MySQL-only
 * syntax rewritten ({@link Mysql8ForMariadb}): on the way in, never in the stored file.
 */
final class MysqlRestorer implements Restorer {
    private final Tools tools;

    MysqlRestorer(Tools tools) {
        this.tools = tools;
    }

    @Override
    public Restore prepare(Snapshot snapshot, Supplier<InputStream> stored, ScratchServer server, DatabaseUrl database, ToolRun run)
            throws SQLException {
        boolean mysql8OnMariadb = isMysql8OnMariadb(snapshot, server, database);
        Path client = tools.first("mariadb", "mysql").orElseThrow(() -> new IllegalStateException("the mysql client is not installed"));
        Path defaults = run.writePrivateFile("client.cnf", MysqlDumper.defaultsFile(database));
        var command = new ArrayList<>(List.of(client.toString(), "--defaults-file=" + defaults, "--protocol=TCP",
                "--host=" + database.host(), "--port=" + database.port(), "--user=" + database.user(),
                "--database=" + database.database()));
        if (Tools.supports(client, "--sandbox")) {
            command.add("--sandbox"); // no \! shell commands from the dump, whatever its first line says (our dumps drop it)
        }
        var restore = run.apply(new ProcessBuilder(command), Map.of()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return new Restore(restore,
                in -> new DefinerRewriter(mysql8OnMariadb ? new Mysql8ForMariadb(new GZIPInputStream(in)) : new GZIPInputStream(in)),
                failure -> Verdict.failed("the restore failed: " + failure), null);
    }

    /** A dump of an Oracle MySQL server restored on MariaDB: its MySQL-only syntax is rewritten ({@link Mysql8ForMariadb}). */
    private static boolean isMysql8OnMariadb(Snapshot snapshot, ScratchServer server, DatabaseUrl database) throws SQLException {
        if (String.valueOf(snapshot.serverVersion()).contains("MariaDB")) {
            return false;
        }
        try (Connection connection = server.connect(database)) {
            return connection.getMetaData().getDatabaseProductVersion().contains("MariaDB");
        }
    }

    @Override
    public Map<String, Long> counts(Connection connection) throws SQLException {
        var names = new ArrayList<String>();
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        var counts = new LinkedHashMap<String, Long>();
        for (String name : names) {
            counts.put(name, RowCount.of(connection, "`" + name.replace("`", "``") + "`"));
        }
        return counts;
    }
}
