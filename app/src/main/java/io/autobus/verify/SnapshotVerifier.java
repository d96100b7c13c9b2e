package io.autobus.verify;

import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.MeasuredInputStream;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.config.Settings;
import io.autobus.db.DatabaseUrl;
import io.autobus.dump.ArchiveHeader;
import io.autobus.dump.DumpOptions;
import io.autobus.dump.MysqlDumper;
import io.autobus.dump.PostgresDumper;
import io.autobus.dump.ToolPipeline;
import io.autobus.dump.ToolRun;
import io.autobus.dump.Tools;
import io.autobus.jobs.BusyException;
import io.autobus.jobs.Deadline;
import io.autobus.notify.Notifier;
import io.autobus.storage.SnapshotStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a snapshot restorable: streams the stored object back (checking its SHA-256 against
 * the one recorded at dump time), restores it into a scratch database nothing else uses,
 * compares the restored tables and their exact row counts with the statistics taken at dump
 * time, and always drops the scratch database. The customer's database is never touched.
 */
public final class SnapshotVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotVerifier.class);
    private static final Pattern MISSING_EXTENSION = Pattern.compile(
            "extension \"([^\"]+)\" is not available|could not open extension control file \"[^\"]*/([^/\"]+)\\.control\"");

    private final SnapshotRepository snapshots;
    private final SnapshotStores stores;
    private final PostgresScratchServers postgres;
    private final Optional<ScratchServer> mysql;
    private final Tools tools;
    private final DatabaseLocks locks;
    private final Notifier notifier;
    private final Settings.JobLimits limits;
    private final Clock clock;

    /** Every PostgreSQL snapshot verified on {@code postgres}, whatever its version. */
    SnapshotVerifier(SnapshotRepository snapshots, SnapshotStores stores, PostgresScratch postgres, Optional<ScratchServer> mysql,
                     Tools tools, DatabaseLocks locks, Notifier notifier, Settings.JobLimits limits, Clock clock) {
        this(snapshots, stores, PostgresScratchServers.only(postgres), mysql, tools, locks, notifier, limits, clock);
    }

    SnapshotVerifier(SnapshotRepository snapshots, SnapshotStores stores, PostgresScratchServers postgres, Optional<ScratchServer> mysql,
                     Tools tools, DatabaseLocks locks, Notifier notifier, Settings.JobLimits limits, Clock clock) {
        this.snapshots = snapshots;
        this.stores = stores;
        this.postgres = postgres;
        this.mysql = mysql;
        this.tools = tools;
        this.locks = locks;
        this.notifier = notifier;
        this.limits = limits;
        this.clock = clock;
    }

    /** Verifies a completed snapshot; returns the verdict recorded (empty if there is nothing to verify). */
    public Optional<Verdict> verify(String snapshotId) {
        var found = snapshots.find(snapshotId).filter(s -> s.status() == SnapshotStatus.COMPLETED);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Snapshot snapshot = found.get();
        String scratch = ScratchServer.PREFIX + snapshot.id();
        try (var lock = locks.tryLockInSlot("verifications:" + snapshot.addonId(), limits.addonVerificationsAtOnce(),
                "verify:" + snapshot.id()).orElseThrow(() -> new BusyException("snapshot " + snapshot.id()
                + " is being verified by another worker, or the add-on's other verifications fill its slots", snapshot.createdAt()))) {
            Instant started = clock.instant();
            snapshots.markVerifying(snapshot.id());
            Verdict verdict;
            try {
                verdict = verifyInScratch(snapshot, scratch);
            } catch (VerifierUnavailableException e) {
                snapshots.clearVerification(snapshot.id());
                LOG.warn("event=verifier_unavailable snapshot={} reason=\"{}\"", snapshot.id(), e.getMessage());
                throw e;
            }
            long millis = clock.instant().toEpochMilli() - started.toEpochMilli();
            snapshots.recordVerification(snapshot.id(), verdict.outcome().dbValue(), verdict.detail(), clock.instant(), millis);
            LOG.info("event=snapshot_verified snapshot={} outcome={} ms={}", snapshot.id(), verdict.outcome().dbValue(), millis);
            if (snapshots.find(snapshot.id()).isPresent()) {
                tell(snapshot, verdict); // a snapshot deleted while it was being verified concerns nobody any more
            }
            return Optional.of(verdict);
        }
    }

    /** The verification server cannot be reached; the snapshot stays unverified and the job is retried. */
    public static final class VerifierUnavailableException extends RuntimeException {
        VerifierUnavailableException(SQLException cause) {
            super("the verification server cannot be reached: " + cause.getMessage(), cause);
        }
    }

    private Verdict verifyInScratch(Snapshot snapshot, String scratch) {
        if (!"postgresql".equals(snapshot.engine())) {
            return verifyInScratch(snapshot, scratch, mysql.orElse(null));
        }
        // A server of the snapshot's own major (PostgresScratchServers, VerifierChoice), held for this verification.
        int sourceMajor = major(snapshot.serverVersion());
        Optional<PostgresScratch> server;
        try {
            server = postgres.acquire(sourceMajor);
        } catch (SQLException e) {
            throw new VerifierUnavailableException(e);
        }
        if (server.isEmpty()) {
            return Verdict.unverifiable("no verification server runs PostgreSQL " + sourceMajor + " or newer (set VERIFY_POSTGRES_URL_"
                    + sourceMajor + ")");
        }
        try {
            return verifyInScratch(snapshot, scratch, server.get());
        } finally {
            postgres.release(server.get());
        }
    }

    private Verdict verifyInScratch(Snapshot snapshot, String scratch, ScratchServer server) {
        if (server == null) {
            return Verdict.unverifiable("no MySQL verification server: VERIFY_MYSQL_URL is not set and mariadbd is not installed");
        }
        try {
            if ("postgresql".equals(snapshot.engine())) {
                int source = major(snapshot.serverVersion());
                int verifier = server.majorVersion();
                if (source > verifier) {
                    return Verdict.unverifiable("the verification server runs PostgreSQL " + verifier
                            + ", older than the snapshot's PostgreSQL " + source);
                }
            }
            server.drop(scratch);
            DatabaseUrl database = server.create(scratch);
            snapshots.recordVerificationServer(snapshot.id(), server.serverVersion(database));
            try {
                return restoreAndCompare(snapshot, server, database);
            } finally {
                server.drop(scratch);
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                // The verification server is down: not the snapshot's fault, and not final.
                throw new VerifierUnavailableException(e);
            }
            return Verdict.unverifiable("the verification server could not be used: " + e.getMessage());
        } catch (RuntimeException e) {
            // The stored object could not be read, a tool is missing...: say so, never leave it "running".
            return Verdict.unverifiable("verification could not run: " + e.getMessage());
        }
    }

    /**
     * The restore and the counts within AUTOBUS_VERIFY_TIMEOUT; then they are stopped and the
     * snapshot fails: a restore that does not end (a customer's function that sleeps or loops,
     * say) would not end on the customer's own server either.
     */
    private Verdict restoreAndCompare(Snapshot snapshot, ScratchServer server, DatabaseUrl database) throws SQLException {
        try (var deadline = Deadline.start(limits.verifyTimeout(), "AUTOBUS_VERIFY_TIMEOUT")) {
            try {
                Verdict verdict = restoreAndCompare(snapshot, server, database, deadline);
                return deadline.expired() ? timedOut(deadline) : verdict;
            } catch (SQLException | RuntimeException e) {
                if (deadline.expired()) {
                    return timedOut(deadline);
                }
                throw e;
            }
        }
    }

    private static Verdict timedOut(Deadline deadline) {
        return Verdict.failed("the restore " + deadline.message() + " and was stopped");
    }

    private Verdict restoreAndCompare(Snapshot snapshot, ScratchServer server, DatabaseUrl database, Deadline deadline)
            throws SQLException {
        try (ToolRun run = tools.newRun()) {
            boolean postgresql = "postgresql".equals(snapshot.engine());
            List<String> options = new ArrayList<>();
            PgRestoreChoice.Choice pgRestoreChoice = null;
            Path pgRestore = null;
            if (postgresql) {
                var installed = tools.byMajor("pg_restore");
                String archiveVersion = archiveVersion(snapshot);
                pgRestoreChoice = PgRestoreChoice.choose(archiveVersion, server.majorVersion(), installed.keySet()).orElse(null);
                if (pgRestoreChoice == null) {
                    return Verdict.unverifiable("no pg_restore installed here reads archive " + archiveVersion
                            + " (install postgresql-client-" + Math.min(ArchiveHeader.oldestReader(archiveVersion), 99) + " or newer)");
                }
                pgRestore = installed.get(pgRestoreChoice.major());
                // The table of contents is read by the newest pg_restore: it reads every archive version, and --list runs no SQL.
                Path lister = tools.newest("pg_restore").orElseThrow(() -> new IllegalStateException("pg_restore is not installed"));
                var plan = ArchiveExtensions.read(lister, () -> openStored(snapshot), run);
                if (!plan.disallowed().isEmpty()) {
                    return Verdict.unverifiable("the snapshot needs extension " + String.join(", ", plan.disallowed())
                            + ", which verification does not create (only extensions Heroku Postgres offers that reach no other server)");
                }
                if (!plan.extensions().isEmpty()) {
                    try {
                        ((PostgresScratch) server).createExtensions(database.database(), plan.extensions());
                    } catch (SQLException e) {
                        var missing = MISSING_EXTENSION.matcher(String.valueOf(e.getMessage()));
                        if (missing.find()) {
                            return Verdict.unverifiable("extension " + (missing.group(1) != null ? missing.group(1) : missing.group(2))
                                    + " is not available on the verification server");
                        }
                        throw e;
                    }
                    options.add("--use-list=" + run.writePrivateFile("restore.list", plan.restoreList()));
                }
            }
            boolean mysql8OnMariadb = !postgresql && isMysql8OnMariadb(snapshot, server, database);
            var measured = new MeasuredInputStream(openStored(snapshot));
            String failure;
            try (measured; var pipeline = ToolPipeline.start(List.of(restoreCommand(snapshot.engine(), pgRestore, database, options, run)),
                    database.password())) {
                deadline.guard(pipeline::close);
                var feeding = new StdinFeeder(pipeline, () -> postgresql ? unclosed(measured)
                        : new DefinerRewriter(mysql8OnMariadb ? new Mysql8ForMariadb(new GZIPInputStream(unclosed(measured)))
                                : new GZIPInputStream(unclosed(measured))));
                String toolFailure = pipeline.awaitFailure();
                String feedProblem = feeding.await();
                failure = toolFailure != null ? toolFailure : feedProblem;
                if (pgRestoreChoice != null && pgRestoreChoice.ignoreTransactionTimeout()
                        && PgRestoreChoice.onlyTransactionTimeoutFailed(toolFailure) && feedProblem == null) {
                    failure = null; // pg_restore 17+ on a server <= 16: the refused SET transaction_timeout, nothing else
                }
                // The restore may stop early: the rest is read anyway, so that the SHA-256 says whether the file is whole.
                measured.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                return Verdict.unverifiable("verification could not read the stored snapshot: " + e.getMessage());
            }
            String sha256 = measured.sha256Hex();
            if (!sha256.equals(snapshot.sha256()) || measured.size() != snapshot.sizeBytes()) {
                return Verdict.failed("the stored file is not what was dumped: " + measured.size() + " bytes with SHA-256 " + sha256
                        + ", " + snapshot.sizeBytes() + " bytes with SHA-256 " + snapshot.sha256() + " at dump time");
            }
            if (failure != null) {
                var missing = MISSING_EXTENSION.matcher(failure);
                if (missing.find()) {
                    String extension = missing.group(1) != null ? missing.group(1) : missing.group(2);
                    return Verdict.unverifiable("extension " + extension + " is not available on the verification server");
                }
                return Verdict.failed("the restore failed: " + failure);
            }
        }
        var atDumpTime = snapshots.tables(snapshot.id());
        if (atDumpTime.isEmpty()) {
            return Verdict.verified("restored; no statistics were taken at dump time to compare with");
        }
        List<String> differences;
        try (Connection connection = server.connect(database)) {
            deadline.guard(connection);
            differences = TableCounts.differences(atDumpTime, DumpOptions.fromJson(snapshot.dumpOptions()),
                    "postgresql".equals(snapshot.engine()) ? postgresCounts(connection) : mysqlCounts(connection));
        }
        return differences.isEmpty()
                ? Verdict.verified("restored " + atDumpTime.size() + " tables; every row count matches the dump")
                : Verdict.failed("the restored database differs from the dump: " + String.join("; ", differences));
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

    /** The stream without its close(), so that what the restore did not read can still be read for the SHA-256. */
    private static InputStream unclosed(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    /** As recorded at dump time, or read from the stored file's head (snapshots taken before it was recorded). */
    private String archiveVersion(Snapshot snapshot) {
        if (snapshot.archiveVersion() != null) {
            return snapshot.archiveVersion();
        }
        try (InputStream in = openStored(snapshot)) {
            return ArchiveHeader.version(in.readNBytes(ArchiveHeader.LENGTH)).orElse("unknown");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + snapshot.storageKey() + ": " + e.getMessage(), e);
        }
    }

    private InputStream openStored(Snapshot snapshot) {
        try {
            return stores.byRegion(snapshot.storageRegion()).open(snapshot.storageKey());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + snapshot.storageKey() + ": " + e.getMessage(), e);
        }
    }

    /** The restore, connected as the scratch database's own unprivileged login. */
    private ProcessBuilder restoreCommand(String engine, Path pgRestore, DatabaseUrl database, List<String> options, ToolRun run) {
        if ("postgresql".equals(engine)) {
            var command = new ArrayList<>(List.of(pgRestore.toString(), "--no-owner", "--no-acl", "--no-password",
                    "--no-publications", "--no-subscriptions", "--no-security-labels", "--no-tablespaces",
                    "--host=" + database.host(), "--port=" + database.port(), "--username=" + database.user(),
                    "--dbname=" + PostgresDumper.conninfoDbname(database.database())));
            command.addAll(options);
            return run.apply(new ProcessBuilder(command), Map.of("PGPASSWORD", database.password(),
                    "PGSSLMODE", database.localHost() ? "prefer" : "require")).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Path client = tools.first("mariadb", "mysql").orElseThrow(() -> new IllegalStateException("the mysql client is not installed"));
        Path defaults = run.writePrivateFile("client.cnf", MysqlDumper.defaultsFile(database));
        var command = new ArrayList<>(List.of(client.toString(), "--defaults-file=" + defaults, "--protocol=TCP",
                "--host=" + database.host(), "--port=" + database.port(), "--user=" + database.user(),
                "--database=" + database.database()));
        if (Tools.supports(client, "--sandbox")) {
            command.add("--sandbox"); // no \! shell commands from the dump, whatever its first line says (our dumps drop it)
        }
        return run.apply(new ProcessBuilder(command), Map.of()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }

    private static Map<String, Long> postgresCounts(Connection connection) throws SQLException {
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
            counts.put(name[0] + "." + name[1], count(connection,
                    "\"" + name[0].replace("\"", "\"\"") + "\".\"" + name[1].replace("\"", "\"\"") + "\""));
        }
        return counts;
    }

    private static Map<String, Long> mysqlCounts(Connection connection) throws SQLException {
        var names = new ArrayList<String>();
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        var counts = new LinkedHashMap<String, Long>();
        for (String name : names) {
            counts.put(name, count(connection, "`" + name.replace("`", "``") + "`"));
        }
        return counts;
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void tell(Snapshot snapshot, Verdict verdict) {
        String topic = "verify:" + snapshot.configVar();
        switch (verdict.outcome()) {
            case FAILED -> notifier.problem(snapshot.addonId(), topic, "verification.failed",
                    "Snapshot " + snapshot.id() + " of " + snapshot.configVar() + " could not be restored",
                    "Autobus restored snapshot " + snapshot.id() + " (" + snapshot.kind().label() + ", taken " + snapshot.createdAt()
                            + ") into a scratch database to prove it usable, and it failed:\n\n" + verdict.detail()
                            + "\n\nTake a new snapshot from the dashboard (heroku addons:open autobus) and keep the previous good one.");
            case VERIFIED -> notifier.resolved(snapshot.addonId(), topic, "verification.recovered",
                    "Snapshots of " + snapshot.configVar() + " restore again",
                    "Snapshot " + snapshot.id() + " of " + snapshot.configVar() + " was restored and checked: " + verdict.detail());
            case UNVERIFIABLE -> {
                LOG.warn("event=snapshot_unverifiable snapshot={} reason=\"{}\"", snapshot.id(), verdict.detail());
                // Not the snapshot's fault, but the owner should know it is not proven restorable, and why.
                notifier.problem(snapshot.addonId(), topic, "verification.unverifiable",
                        "Snapshot " + snapshot.id() + " of " + snapshot.configVar() + " could not be verified",
                        "Autobus could not try a restore of snapshot " + snapshot.id() + " (" + snapshot.kind().label() + ", taken "
                                + snapshot.createdAt() + "), so it is not proven restorable:\n\n" + verdict.detail()
                                + "\n\nThe snapshot itself was stored completely; you can download it from the dashboard"
                                + " (heroku addons:open autobus) and restore it with the command shown there.");
            }
        }
    }

    private static int major(String version) {
        var matcher = Pattern.compile("(\\d+)").matcher(version == null ? "" : version);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}
