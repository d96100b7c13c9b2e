package io.autobus.verify;

import io.autobus.backup.Snapshot;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.ArchiveHeader;
import io.autobus.dump.PostgresDumper;
import io.autobus.dump.ToolRun;
import io.autobus.dump.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code pg_restore} of a custom archive, with a client that reads the archive and that the
 * server accepts ({@link PgRestoreChoice}); the extensions the archive needs are created first
 * by the server's administrator ({@link ArchiveExtensions}), never by the archive.
 */
final class PostgresRestorer implements Restorer {
    private static final Pattern MISSING_EXTENSION = Pattern.compile(
            "extension \"([^\"]+)\" is not available|could not open extension control file \"[^\"]*/([^/\"]+)\\.control\"");

    private final Tools tools;

    PostgresRestorer(Tools tools) {
        this.tools = tools;
    }

    @Override
    public Restore prepare(Snapshot snapshot, Supplier<InputStream> stored, ScratchServer server, DatabaseUrl database, ToolRun run)
            throws SQLException {
        var installed = tools.byMajor("pg_restore");
        String archiveVersion = archiveVersion(snapshot, stored);
        var choice = PgRestoreChoice.choose(archiveVersion, server.majorVersion(), installed.keySet()).orElse(null);
        if (choice == null) {
            return Restore.instead(Verdict.unverifiable("no pg_restore installed here reads archive " + archiveVersion
                    + " (install postgresql-client-" + Math.min(ArchiveHeader.oldestReader(archiveVersion), 99) + " or newer)"));
        }
        var command = new ArrayList<>(List.of(installed.get(choice.major()).toString(), "--no-owner", "--no-acl", "--no-password",
                "--no-publications", "--no-subscriptions", "--no-security-labels", "--no-tablespaces",
                "--host=" + database.host(), "--port=" + database.port(), "--username=" + database.user(),
                "--dbname=" + PostgresDumper.conninfoDbname(database.database())));
        // The table of contents is read by the newest pg_restore: it reads every archive version, and --list runs no SQL.
        Path lister = tools.newest("pg_restore").orElseThrow(() -> new IllegalStateException("pg_restore is not installed"));
        var plan = ArchiveExtensions.read(lister, stored, run);
        if (!plan.disallowed().isEmpty()) {
            return Restore.instead(Verdict.unverifiable("the snapshot needs extension " + String.join(", ", plan.disallowed())
                    + ", which verification does not create (only extensions Heroku Postgres offers that reach no other server)"));
        }
        if (!plan.extensions().isEmpty()) {
            try {
                ((PostgresScratch) server).createExtensions(database.database(), plan.extensions());
            } catch (SQLException e) {
                var missing = missingExtension(String.valueOf(e.getMessage()));
                if (missing != null) {
                    return Restore.instead(missing);
                }
                throw e;
            }
            command.add("--use-list=" + run.writePrivateFile("restore.list", plan.restoreList()));
        }
        var restore = run.apply(new ProcessBuilder(command), Map.of("PGPASSWORD", database.password(),
                "PGSSLMODE", database.sslMode())).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return new Restore(restore, in -> in, failure -> {
            if (choice.ignoreTransactionTimeout() && PgRestoreChoice.onlyTransactionTimeoutFailed(failure)) {
                return null; // pg_restore 17+ on a server <= 16: the refused SET transaction_timeout, nothing else
            }
            var missing = missingExtension(failure);
            return missing != null ? missing : Verdict.failed("the restore failed: " + failure);
        }, null);
    }

    private static Verdict missingExtension(String failure) {
        var missing = MISSING_EXTENSION.matcher(failure);
        if (!missing.find()) {
            return null;
        }
        return Verdict.unverifiable("extension " + (missing.group(1) != null ? missing.group(1) : missing.group(2))
                + " is not available on the verification server");
    }

    /** As recorded at dump time, or read from the stored file's head (snapshots taken before it was recorded). */
    private static String archiveVersion(Snapshot snapshot, Supplier<InputStream> stored) {
        if (snapshot.archiveVersion() != null) {
            return snapshot.archiveVersion();
        }
        try (InputStream in = stored.get()) {
            return ArchiveHeader.version(in.readNBytes(ArchiveHeader.LENGTH)).orElse("unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + snapshot.storageKey() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Long> counts(Connection connection) throws SQLException {
        var names = new ArrayList<String[]>();
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("""
                SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\_toast%'""")) {
            while (rows.next()) {
                names.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        }
        var counts = new LinkedHashMap<String, Long>();
        for (String[] name : names) {
            counts.put(name[0] + "." + name[1], RowCount.of(connection,
                    "\"" + name[0].replace("\"", "\"\"") + "\".\"" + name[1].replace("\"", "\"\"") + "\""));
        }
        return counts;
    }
}
