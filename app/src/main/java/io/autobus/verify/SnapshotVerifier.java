package io.autobus.verify;

import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.MeasuredInputStream;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.config.Settings;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.DumpOptions;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
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
    /** A verdict from the stored copy, downloaded (see {@link #record}); else {@code in_flight}. */
    static final String AFTER_UPLOAD = "after_upload";
    /** Why the stored copy of a snapshot encrypted to the customer's key is not restored here (docs/SECURITY.md). */
    public static final String ENCRYPTED = "encrypted with your key: Autobus cannot open the stored copy to restore it"
            + " (such snapshots are verified while they are stored, before encryption)";

    private final SnapshotRepository snapshots;
    private final SnapshotStores stores;
    private final PostgresScratchServers postgres;
    private final Optional<ScratchServer> mysql;
    private final Tools tools;
    private final Map<DatabaseUrl.Engine, Restorer> restorers;
    private final DatabaseLocks locks;
    private final Notifier notifier;
    private final Settings.JobLimits limits;
    private final Clock clock;

    /** Every PostgreSQL snapshot verified on {@code postgres}, whatever its version. */
    SnapshotVerifier(SnapshotRepository snapshots, SnapshotStores stores, PostgresScratch postgres, Optional<ScratchServer> mysql,
                     Tools tools, DatabaseLocks locks, Notifier notifier, Settings.JobLimits limits, Clock clock) {
        this(snapshots, stores, PostgresScratchServers.only(postgres), mysql, tools, locks, notifier, limits, clock);
    }

    public SnapshotVerifier(SnapshotRepository snapshots, SnapshotStores stores, ScratchServers servers, Tools tools, DatabaseLocks locks,
                            Notifier notifier, Settings.JobLimits limits, Clock clock) {
        this(snapshots, stores, servers.postgres, servers.mysql, tools, locks, notifier, limits, clock);
    }

    SnapshotVerifier(SnapshotRepository snapshots, SnapshotStores stores, PostgresScratchServers postgres, Optional<ScratchServer> mysql,
                     Tools tools, DatabaseLocks locks, Notifier notifier, Settings.JobLimits limits, Clock clock) {
        this.snapshots = snapshots;
        this.stores = stores;
        this.postgres = postgres;
        this.mysql = mysql;
        this.tools = tools;
        this.restorers = Map.of(DatabaseUrl.Engine.POSTGRESQL, new PostgresRestorer(tools), DatabaseUrl.Engine.MYSQL, new MysqlRestorer(tools));
        this.locks = locks;
        this.notifier = notifier;
        this.limits = limits;
        this.clock = clock;
    }

    /** Verifies a completed snapshot; returns the verdict recorded (empty if there is nothing to verify). */
    public Optional<Verdict> verify(String snapshotId) {
        return verify(snapshotId, null);
    }

    /** @param inFlightFailed why it was not verified while it was stored, said beside the verdict; or null */
    Optional<Verdict> verify(String snapshotId, String inFlightFailed) {
        var found = snapshots.find(snapshotId).filter(s -> s.status() == SnapshotStatus.COMPLETED);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Snapshot snapshot = found.get();
        if (snapshot.encrypted()) {
            // Nothing to download: only the customer's private key opens it, and we never hold one. A verdict given in
            // flight stands; without one, say why there is none.
            if (snapshot.verification() != null && !"running".equals(snapshot.verification()) && inFlightFailed == null) {
                return Optional.empty();
            }
            Verdict verdict = inFlightFailed == null ? Verdict.unverifiable(ENCRYPTED)
                    : Verdict.unverifiable(ENCRYPTED).withNote("in flight, " + inFlightFailed);
            snapshots.recordVerification(snapshot.id(), verdict.outcome().dbValue(), verdict.detail(), clock.instant(), 0L);
            LOG.info("event=snapshot_verified snapshot={} outcome={} reason=encrypted", snapshot.id(), verdict.outcome().dbValue());
            return Optional.of(verdict);
        }
        String scratch = ScratchServer.PREFIX + snapshot.id();
        try (var lock = locks.tryLockInSlot("verifications:" + snapshot.addonId(), limits.addonVerificationsAtOnce(),
                "verify:" + snapshot.id()).orElseThrow(() -> new BusyException("snapshot " + snapshot.id()
                + " is being verified by another worker, or the add-on's other verifications fill its slots", snapshot.createdAt()))) {
            Instant started = clock.instant();
            snapshots.markVerifying(snapshot.id());
            Verdict verdict;
            try {
                verdict = storedFileExists(snapshot) ? verifyInScratch(snapshot, scratch, new StoredSource(snapshot))
                        : Verdict.failed("the stored file " + snapshot.storageKey() + " is missing from the "
                                + snapshot.storageRegion() + " store: it was deleted or never arrived, so this snapshot cannot be restored");
            } catch (VerifierUnavailableException e) {
                snapshots.clearVerification(snapshot.id());
                LOG.warn("event=verifier_unavailable snapshot={} reason=\"{}\"", snapshot.id(), e.getMessage());
                throw e;
            }
            record(snapshot, inFlightFailed == null ? verdict : verdict.withNote("checked after upload: in flight, " + inFlightFailed),
                    started, AFTER_UPLOAD);
            return Optional.of(verdict);
        }
    }

    /** Records a verdict and tells the owner what it means. */
    void record(Snapshot snapshot, Verdict verdict, Instant started, String when) {
        long millis = clock.instant().toEpochMilli() - started.toEpochMilli();
        snapshots.recordVerification(snapshot.id(), verdict.outcome().dbValue(), verdict.detail(), clock.instant(), millis);
        if (when.equals(AFTER_UPLOAD) && verdict.outcome() != Verdict.Outcome.UNVERIFIABLE) {
            snapshots.recordRestoredFromStore(snapshot.id(), clock.instant());
        }
        LOG.info("event=snapshot_verified snapshot={} outcome={} ms={} when={}", snapshot.id(), verdict.outcome().dbValue(), millis, when);
        if (snapshots.find(snapshot.id()).isPresent()) {
            tell(snapshot, verdict); // a snapshot deleted while it was being verified concerns nobody any more
        }
    }

    /**
     * Restores a snapshot from the dump while it is stored ({@link InFlightVerification}), in one of the add-on's
     * verification slots; its counts are compared once {@code source} has the completed snapshot.
     *
     * @return the verdict, or empty when it could not be tried in flight (the slots are taken, the server is down)
     */
    Optional<Verdict> verifyInFlight(Snapshot pending, Source source) {
        var lock = locks.tryLockInSlot("verifications:" + pending.addonId(), limits.addonVerificationsAtOnce(), "verify:" + pending.id());
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try (var held = lock.get()) {
            snapshots.markVerifying(pending.id()); // shown as running while the dump is restored
            return Optional.of(verifyInScratch(pending, ScratchServer.PREFIX + pending.id(), source));
        } catch (VerifierUnavailableException e) {
            snapshots.clearVerification(pending.id());
            LOG.warn("event=verifier_unavailable snapshot={} reason=\"{}\"", pending.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /** A verification in flight that gave no verdict (its backup failed, or it gave up): not verified yet, not running. */
    void noVerdictInFlight(Snapshot pending) {
        snapshots.clearVerification(pending.id());
    }

    /** Where a verification reads the snapshot's bytes: the stored object, or the dump on its way to the store. */
    interface Source {
        /** A stream from the start of the file: the whole of it, or at least its head (a table of contents is read first). */
        InputStream head() throws IOException;

        /** The bytes to restore, read once. */
        InputStream bytes() throws IOException;

        /** Once the restore has read what it wanted: reads the rest, and says what is wrong with the bytes (null when nothing). */
        String rest(InputStream bytes) throws IOException;

        /** The snapshot as completed, with its dump-time statistics (in flight: once the upload has ended). */
        Snapshot completed();
    }

    /** The stored object, read back from the store, its SHA-256 checked against the one recorded at dump time. */
    private final class StoredSource implements Source {
        private final Snapshot snapshot;

        StoredSource(Snapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public InputStream head() {
            return openStored(snapshot);
        }

        @Override
        public InputStream bytes() {
            return new MeasuredInputStream(openStored(snapshot));
        }

        @Override
        public String rest(InputStream bytes) throws IOException {
            // The restore may stop early: the rest is read anyway, so that the SHA-256 says whether the file is whole.
            bytes.transferTo(OutputStream.nullOutputStream());
            var measured = (MeasuredInputStream) bytes;
            String sha256 = measured.sha256Hex();
            if (!sha256.equals(snapshot.sha256()) || measured.size() != snapshot.sizeBytes()) {
                return "the stored file is not what was dumped: " + measured.size() + " bytes with SHA-256 " + sha256
                        + ", " + snapshot.sizeBytes() + " bytes with SHA-256 " + snapshot.sha256() + " at dump time";
            }
            return null;
        }

        @Override
        public Snapshot completed() {
            return snapshot;
        }
    }

    /** The verification server cannot be reached; the snapshot stays unverified and the job is retried. */
    public static final class VerifierUnavailableException extends RuntimeException {
        VerifierUnavailableException(SQLException cause) {
            super("the verification server cannot be reached: " + cause.getMessage(), cause);
        }
    }

    private Verdict verifyInScratch(Snapshot snapshot, String scratch, Source source) {
        if (!DatabaseUrl.Engine.isPostgres(snapshot.engine())) {
            return verifyInScratch(snapshot, scratch, mysql.orElse(null), source);
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
            return verifyInScratch(snapshot, scratch, server.get(), source);
        } finally {
            postgres.release(server.get());
        }
    }

    private Verdict verifyInScratch(Snapshot snapshot, String scratch, ScratchServer server, Source source) {
        if (server == null) {
            return Verdict.unverifiable("no MySQL verification server: VERIFY_MYSQL_URL is not set and mariadbd is not installed");
        }
        try {
            if (DatabaseUrl.Engine.isPostgres(snapshot.engine())) {
                int sourceMajor = major(snapshot.serverVersion());
                int verifierMajor = server.majorVersion();
                if (sourceMajor > verifierMajor) {
                    return Verdict.unverifiable("the verification server runs PostgreSQL " + verifierMajor
                            + ", older than the snapshot's PostgreSQL " + sourceMajor);
                }
            }
            server.drop(scratch);
            DatabaseUrl database = server.create(scratch);
            snapshots.recordVerificationServer(snapshot.id(), server.serverVersion(database));
            try {
                return restoreAndCompare(snapshot, server, database, source);
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
    private Verdict restoreAndCompare(Snapshot snapshot, ScratchServer server, DatabaseUrl database, Source source) throws SQLException {
        try (var deadline = Deadline.start(limits.verifyTimeout(), "AUTOBUS_VERIFY_TIMEOUT")) {
            try {
                Verdict verdict = restoreAndCompare(snapshot, server, database, deadline, source);
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

    /** The one place a snapshot flows into a restore: source → the engine's restore tool; then the counts. */
    private Verdict restoreAndCompare(Snapshot snapshot, ScratchServer server, DatabaseUrl database, Deadline deadline, Source source)
            throws SQLException {
        Restorer restorer = restorers.get(DatabaseUrl.Engine.of(snapshot.engine()));
        try (ToolRun run = tools.newRun()) {
            var restore = restorer.prepare(snapshot, () -> {
                try {
                    return source.head();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, server, database, run);
            if (restore.instead() != null) {
                return restore.instead();
            }
            String toolFailure;
            String feedProblem;
            String bytesProblem;
            // The tool first: a tool that cannot start leaves nothing downloaded.
            try (var pipeline = ToolPipeline.start(List.of(restore.command()), database.password()); var bytes = source.bytes()) {
                deadline.guard(pipeline::close);
                var feeding = new StdinFeeder(pipeline, () -> restore.input().of(unclosed(bytes)));
                toolFailure = pipeline.awaitFailure();
                feedProblem = feeding.await();
                bytesProblem = source.rest(bytes);
            } catch (IOException e) {
                return Verdict.unverifiable("verification could not read the snapshot: " + e.getMessage());
            }
            if (bytesProblem != null) {
                return Verdict.failed(bytesProblem);
            }
            snapshot = source.completed(); // with its dump options and statistics
            Verdict failed = toolFailure == null ? null : restore.failure().verdict(toolFailure);
            if (failed != null) {
                return pointingAtLeftOutRows(snapshot, failed);
            }
            if (feedProblem != null) {
                return pointingAtLeftOutRows(snapshot, Verdict.failed("the restore failed: " + feedProblem));
            }
        }
        var atDumpTime = snapshots.tables(snapshot.id());
        if (atDumpTime.isEmpty()) {
            return Verdict.verified("restored; no statistics were taken at dump time to compare with");
        }
        List<String> differences;
        try (Connection connection = server.connect(database)) {
            deadline.guard(connection);
            differences = TableCounts.differences(atDumpTime, DumpOptions.fromJson(snapshot.dumpOptions()), restorer.counts(connection));
        }
        return differences.isEmpty()
                ? Verdict.verified("restored " + atDumpTime.size() + " tables; every row count matches the dump")
                : Verdict.failed("the restored database differs from the dump: " + String.join("; ", differences));
    }

    /**
     * A restore that failed on a snapshot whose dump options leave rows out, with the options named: a foreign key
     * pointing at rows (or a table) left out fails every restore, and the tool's message does not say why.
     */
    static Verdict pointingAtLeftOutRows(Snapshot snapshot, Verdict failed) {
        var options = DumpOptions.fromJson(snapshot.dumpOptions());
        var leftOut = new java.util.ArrayList<String>();
        if (!options.excludeTableData().isEmpty()) {
            leftOut.add("the data of " + String.join(", ", options.excludeTableData()) + " (exclude_table_data)");
        }
        if (!options.excludeTables().isEmpty()) {
            leftOut.add(String.join(", ", options.excludeTables()) + " (exclude_tables)");
        }
        if (leftOut.isEmpty()) {
            return failed;
        }
        return Verdict.failed(failed.detail().replaceAll("[.\\s]+$", "") + ". This database's dump options leave out " + String.join(" and ", leftOut)
                + ": a foreign key that points at rows left out fails every restore. Also leave out the data of the tables "
                + "that reference them, or drop the option (dashboard: Settings, Dump options).");
    }

    /** The stream without its close(), so that what the restore did not read can still be read (for the SHA-256, to the end). */
    private static InputStream unclosed(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    /** Asked first, so that a missing file is said as such, not as what a restore tool makes of no bytes. */
    private boolean storedFileExists(Snapshot snapshot) {
        try {
            return stores.byRegion(snapshot.storageRegion()).exists(snapshot.storageKey());
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
