package io.autobus.restore;

import io.autobus.backup.BackupTargets.Target;
import io.autobus.backup.Snapshot;
import io.autobus.dump.PgArchiveToc;
import io.autobus.dump.PgArchiveWatcher;
import io.autobus.dump.PostgresDumper;
import io.autobus.dump.ToolPipeline;
import io.autobus.dump.ToolRun;
import io.autobus.dump.Tools;
import io.autobus.jobs.Deadline;
import io.autobus.verify.PgRestoreChoice;
import io.autobus.verify.StdinFeeder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresTargetRestore.class);
    private final Tools tools;

    PostgresTargetRestore(Tools tools) {
        this.tools = tools;
    }

    @Override
    public String restore(Snapshot snapshot, Restore restore, Target target, InputStream stored, StdinFeeder.Source storedAgain,
                          RestoreProgress progress, Deadline deadline) {
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
        Path pgRestore = installed.get(choice.major());
        var contents = contents(storedAgain);
        var watched = new PgArchiveWatcher(stored, contents);
        progress.tableFrom(watched::table);
        try (ToolRun run = tools.newRun()) {
            String failure = switch (restore.mode()) {
                case WHOLE -> RestoreTool.run(run.apply(new ProcessBuilder(intoTarget(pgRestore, target, "--clean", "--if-exists")),
                        environment(target)).redirectOutput(ProcessBuilder.Redirect.DISCARD), target.url().password(), () -> watched, deadline);
                case REPLACE -> {
                    // One transaction: the tables are replaced whole, with the keys that point at them, or not at all.
                    var entries = contents.entries();
                    var selection = reachableKeysOnly(entries, PgTableSelection.of(entries, restore.tables(), true), target);
                    yield RestoreTool.run(run.apply(new ProcessBuilder(intoTarget(pgRestore, target, "--clean", "--if-exists",
                                    "--single-transaction", "--use-list=" + run.writePrivateFile("restore.list",
                                            PgTableSelection.useList(entries, selection.ids())))),
                            environment(target)).redirectOutput(ProcessBuilder.Redirect.DISCARD), target.url().password(), () -> watched, deadline);
                }
                case ALONGSIDE -> alongside(pgRestore, restore, target, watched, contents.entries(), deadline, run);
            };
            if (failure != null && !(choice.ignoreTransactionTimeout() && PgRestoreChoice.onlyTransactionTimeoutFailed(failure))) {
                throw new RestoreException((restore.mode() == RestoreMode.ALONGSIDE ? "psql" : "pg_restore") + " failed: " + failure);
            }
        }
        return restore.mode() == RestoreMode.ALONGSIDE ? Restore.alongsideSchema(snapshot.id()) : null;
    }

    /**
     * pg_restore writes the chosen tables' SQL script; on its way, {@link SchemaRenamingScript} moves them to the
     * schema {@code restored_<snapshot id>}; psql runs it on the target in one transaction.
     */
    private String alongside(Path pgRestore, Restore restore, Target target, InputStream stored, List<PgArchiveToc.Entry> entries,
                             Deadline deadline, ToolRun run) {
        if (!Tools.supports(pgRestore, "--restrict-key")) {
            throw new RestoreException(pgRestore + " cannot restrict psql's meta-commands (PostgreSQL 15.14 and later can):"
                    + " restoring tables alongside needs it");
        }
        Path psql = pgRestore.resolveSibling("psql"); // the client of the same release (Debian's /usr/bin/psql is a wrapper)
        if (!java.nio.file.Files.isExecutable(psql)) {
            throw new RestoreException("psql is not installed beside " + pgRestore);
        }
        var selection = reachableKeysOnly(entries, PgTableSelection.of(entries, restore.tables(), false), target);
        String key = io.autobus.crypto.Tokens.random().replaceAll("[^A-Za-z0-9]", "");
        var script = run.apply(new ProcessBuilder(pgRestore.toString(), "--no-owner", "--no-acl", "--restrict-key=" + key, "--file=-",
                "--use-list=" + run.writePrivateFile("restore.list", PgTableSelection.useList(entries, selection.ids()))), Map.of());
        var apply = run.apply(new ProcessBuilder(psql.toString(), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--no-password",
                "--host=" + target.url().host(), "--port=" + target.url().port(), "--username=" + target.url().user(),
                "--dbname=" + PostgresDumper.conninfoDbname(target.url().database())), environment(target))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        String schema = Restore.alongsideSchema(restore.snapshotId());
        try (var writer = ToolPipeline.start(List.of(script), target.url().password())) {
            deadline.guard(writer::close);
            var feeding = new StdinFeeder(writer, () -> stored);
            String failure = RestoreTool.run(apply, target.url().password(),
                    () -> new SchemaRenamingScript(writer.output(), selection.relations(), schema, key), deadline);
            String writerFailure = writer.awaitFailure();
            feeding.await();
            return failure != null ? failure : writerFailure;
        }
    }

    private List<String> intoTarget(Path pgRestore, Target target, String... options) {
        var command = new ArrayList<>(List.of(pgRestore.toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("--no-owner", "--no-acl", "--no-password", "--host=" + target.url().host(), "--port=" + target.url().port(),
                "--username=" + target.url().user(), "--dbname=" + PostgresDumper.conninfoDbname(target.url().database())));
        return command;
    }

    private static Map<String, String> environment(Target target) {
        return Map.of(
                "PGPASSWORD", target.url().password(),
                "PGHOSTADDR", target.address().getHostAddress(), // the address checked under the customer address rule
                "PGSSLMODE", target.url().sslMode(),
                "PGCONNECT_TIMEOUT", "15",
                "PGAPPNAME", "autobus");
    }

    /** The archive's table of contents, read from a second opening of the stored object (its first bytes). */
    private static PgArchiveToc.Contents contents(StdinFeeder.Source storedAgain) {
        try (InputStream in = storedAgain.open()) {
            return PgArchiveToc.contents(in);
        } catch (IOException e) {
            throw new RestoreException("could not read the snapshot's table of contents: " + e.getMessage(), e);
        }
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

    /**
     * The selection without the foreign keys whose referenced table neither exists in the target nor is restored with
     * them (a table restored into another database, say): a key is recreated when the table it points at is there.
     */
    private PgTableSelection.Selection reachableKeysOnly(List<PgArchiveToc.Entry> entries, PgTableSelection.Selection selection,
                                                         Target target) {
        var restored = selection.relations().stream().map(PgTableSelection.Relation::qualified).collect(java.util.stream.Collectors.toSet());
        var ids = new java.util.LinkedHashSet<>(selection.ids());
        try (Connection connection = connect(target)) {
            for (var entry : entries) {
                if (!ids.contains(entry.dumpId()) || !entry.desc().equals("FK CONSTRAINT")) {
                    continue;
                }
                var referenced = PgTableSelection.referencedTable(entry);
                if (referenced != null && !restored.contains(referenced) && !exists(connection, referenced)) {
                    ids.remove(entry.dumpId());
                    LOG.info("event=restore_key_left_out restore_target={} key=\"{}\" references=\"{}\"", target.url().database(),
                            entry.tag().replace('"', '\''), referenced.replace('"', '\''));
                }
            }
        } catch (SQLException e) {
            throw new RestoreException("could not read " + target.url().database() + "'s tables: " + e.getMessage(), e);
        }
        return new PgTableSelection.Selection(ids, selection.relations());
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
