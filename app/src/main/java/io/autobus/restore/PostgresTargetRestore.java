package io.autobus.restore;

import io.autobus.backup.BackupTargets.Target;
import io.autobus.backup.Snapshot;
import io.autobus.dump.PostgresDumper;
import io.autobus.dump.ToolRun;
import io.autobus.dump.Tools;
import io.autobus.jobs.Deadline;
import io.autobus.verify.PgRestoreChoice;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pg_restore} into the customer's database, logged in as the URL's user, with a client
 * that reads the snapshot's archive and that the target server accepts ({@link PgRestoreChoice}).
 * A whole restore is the seed's {@code pg_restore --clean --if-exists --no-acl --no-owner}.
 */
final class PostgresTargetRestore implements TargetRestore {
    private final Tools tools;

    PostgresTargetRestore(Tools tools) {
        this.tools = tools;
    }

    @Override
    public String restore(Snapshot snapshot, Restore restore, Target target, InputStream stored, Deadline deadline) {
        int serverMajor;
        try (Connection connection = connect(target)) {
            serverMajor = connection.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            throw new RestoreException("could not read " + restore.target() + "'s server: " + e.getMessage(), e);
        }
        var installed = tools.byMajor("pg_restore");
        String archive = snapshot.archiveVersion() == null ? "1.14" : snapshot.archiveVersion();
        var choice = PgRestoreChoice.choose(archive, serverMajor, installed.keySet()).orElseThrow(() -> new RestoreException(
                "no pg_restore installed here reads archive " + archive + " and runs against PostgreSQL " + serverMajor));
        try (ToolRun run = tools.newRun()) {
            var command = new ArrayList<>(List.of(installed.get(choice.major()).toString(), "--clean", "--if-exists", "--no-owner",
                    "--no-acl", "--no-password", "--host=" + target.url().host(), "--port=" + target.url().port(),
                    "--username=" + target.url().user(), "--dbname=" + PostgresDumper.conninfoDbname(target.url().database())));
            var builder = run.apply(new ProcessBuilder(command), Map.of(
                    "PGPASSWORD", target.url().password(),
                    "PGHOSTADDR", target.address().getHostAddress(), // the address checked under the customer address rule
                    "PGSSLMODE", PostgresDumper.sslMode(target.url()),
                    "PGCONNECT_TIMEOUT", "15",
                    "PGAPPNAME", "autobus")).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            String failure = RestoreTool.run(builder, target.url().password(), () -> stored, deadline);
            if (failure != null && !(choice.ignoreTransactionTimeout() && PgRestoreChoice.onlyTransactionTimeoutFailed(failure))) {
                throw new RestoreException("pg_restore failed: " + failure);
            }
        }
        return null;
    }

    @Override
    public Connection connect(Target target) {
        return PostgresDumper.connect(target.url(), target.address());
    }

    @Override
    public Map<String, Long> counts(Connection connection, Iterable<String> names, String restoredInto) throws SQLException {
        var counts = new LinkedHashMap<String, Long>();
        for (String name : names) {
            int dot = name.indexOf('.');
            String schema = restoredInto != null ? restoredInto : name.substring(0, dot);
            String quoted = quote(schema) + "." + quote(name.substring(dot + 1));
            if (exists(connection, quoted)) {
                counts.put(name, io.autobus.verify.RowCount.of(connection, quoted));
            }
        }
        return counts;
    }

    private static boolean exists(Connection connection, String quoted) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, quoted);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
