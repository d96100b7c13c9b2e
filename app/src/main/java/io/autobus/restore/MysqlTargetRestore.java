package io.autobus.restore;

import io.autobus.backup.BackupTargets.Target;
import io.autobus.backup.Snapshot;
import io.autobus.dump.DumpProgress;
import io.autobus.dump.MysqlDumper;
import io.autobus.dump.MysqlRowCounter;
import io.autobus.dump.ToolRun;
import io.autobus.dump.Tools;
import io.autobus.jobs.Deadline;
import io.autobus.verify.DefinerRewriter;
import io.autobus.verify.StdinFeeder;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The {@code mysql} client into the customer's database, logged in as the URL's user (password in
 * a private defaults file), reading the unpacked dump with its definers made {@code CURRENT_USER}
 * (hosted MySQL users may not create objects for others). A whole restore is the seed's
 * {@code gzip -d | mysql}: the dump's own DROP TABLE IF EXISTS and CREATE TABLE, table by table;
 * chosen tables are cut out of the dump on the way ({@link MysqlTableScript}), renamed when restored alongside.
 */
final class MysqlTargetRestore implements TargetRestore {
    private static final int MAX_NAME = 64;
    private final Tools tools;

    MysqlTargetRestore(Tools tools) {
        this.tools = tools;
    }

    @Override
    public String restore(Snapshot snapshot, Restore restore, Target target, InputStream stored, StdinFeeder.Source storedAgain,
                          RestoreProgress progress, Deadline deadline) {
        String suffix = restore.mode() == RestoreMode.ALONGSIDE ? Restore.alongsideSuffix(snapshot.id()) : null;
        for (String table : restore.tables()) {
            if (suffix != null && (table + suffix).length() > MAX_NAME) {
                throw new RestoreException("table " + table + " is named too long to be restored alongside as " + table + suffix
                        + " (MySQL names have at most " + MAX_NAME + " characters); restore it into another database");
            }
        }
        Path client = tools.first("mariadb", "mysql").orElseThrow(() -> new RestoreException("the mysql client is not installed here"));
        boolean mariadbClient = Tools.versionOf(client).contains("MariaDB");
        try (ToolRun run = tools.newRun()) {
            Path defaults = run.writePrivateFile("client.cnf", MysqlDumper.defaultsFile(target.url()));
            var command = new ArrayList<>(List.of(client.toString(), "--defaults-file=" + defaults, "--protocol=TCP",
                    "--host=" + target.address().getHostAddress(), "--port=" + target.url().port(), "--user=" + target.url().user(),
                    "--database=" + target.url().database(), "--default-character-set=utf8mb4"));
            boolean tls = MysqlDumper.useTls(target.url());
            command.add(mariadbClient ? (tls ? "--ssl" : "--skip-ssl") : (tls ? "--ssl-mode=REQUIRED" : "--ssl-mode=DISABLED"));
            if (Tools.supports(client, "--sandbox")) {
                command.add("--sandbox"); // no \! shell commands from the dump
            }
            var builder = run.apply(new ProcessBuilder(command), Map.of()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            String failure = RestoreTool.run(builder, target.url().password(),
                    () -> new DefinerRewriter(restore.mode() == RestoreMode.WHOLE ? watched(new GZIPInputStream(stored), progress)
                            : new MysqlTableScript(watched(new GZIPInputStream(stored), progress), java.util.Set.copyOf(restore.tables()),
                            suffix)), deadline);
            if (failure != null) {
                throw new RestoreException("mysql failed: " + failure);
            }
        }
        return suffix;
    }

    /** The dump's SQL, telling {@code progress} the table whose rows are passing. */
    private static InputStream watched(InputStream sql, RestoreProgress progress) {
        var passing = new DumpProgress();
        progress.tableFrom(() -> passing.view().table());
        return MysqlRowCounter.watching(sql, passing);
    }

    @Override
    public Connection connect(Target target) {
        return MysqlDumper.connect(target.url(), target.address());
    }

    @Override
    public Map<String, Long> counts(Connection connection, Iterable<String> names, String restoredInto) throws SQLException {
        var counts = new LinkedHashMap<String, Long>();
        for (String name : names) {
            String table = restoredInto == null ? name : name + restoredInto;
            if (exists(connection, table)) {
                counts.put(name, io.autobus.verify.RowCount.of(connection, "`" + table.replace("`", "``") + "`"));
            }
        }
        return counts;
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (var statement = connection.prepareStatement(
                "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            statement.setString(1, table);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }
}
