package io.autobus.verify;

import io.autobus.backup.BackupRunner;
import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.InFlight;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotRepository;
import io.autobus.config.Settings;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.Tools;
import io.autobus.jobs.WorkerBell;
import io.autobus.notify.Notifier;
import io.autobus.storage.SnapshotStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verification wired together: the scratch servers, the verifier, the queue that verifies every
 * completed snapshot, and the clean-up of scratch databases a stopped worker left behind.
 */
public final class Verification implements BackupRunner.Outcomes, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Verification.class);

    private final SnapshotRepository snapshots;
    private final Path verifyRoot;
    private final Tools tools;
    private final PostgresScratchServers postgres;
    private final java.util.Optional<ScratchServer> mysql;
    private final SnapshotVerifier verifier;
    private final DatabaseLocks locks;
    private final JobRequestScheduler jobs;
    private final WorkerBell bell;
    private final Settings.JobLimits limits;
    private final Clock clock;

    public Verification(Settings settings, SnapshotRepository snapshots, SnapshotStores stores, DatabaseLocks locks,
                        Notifier notifier, JobRequestScheduler jobs, WorkerBell bell, Clock clock) {
        this.snapshots = snapshots;
        this.verifyRoot = settings.home().resolve("verify");
        this.tools = Tools.installed(settings.home().resolve("tmp"));
        this.postgres = new PostgresScratchServers(settings.verifyPostgresUrl(), settings.verifyPostgresUrlsByMajor(), verifyRoot, clock);
        // VERIFY_MYSQL_URL, else a private MariaDB of this worker's own, if mariadbd is installed.
        this.mysql = settings.verifyMysqlUrl().<ScratchServer>map(url -> new MysqlScratch(DatabaseUrl.parse(url)))
                .or(() -> EmbeddedMariadbServer.installed(tools)
                        ? java.util.Optional.of(new EmbeddedMysqlScratch(verifyRoot, tools, EmbeddedMysqlScratch.IDLE))
                        : java.util.Optional.empty());
        this.verifier = new SnapshotVerifier(snapshots, stores, postgres, mysql, tools, locks, notifier, settings.jobLimits(), clock);
        this.locks = locks;
        this.jobs = jobs;
        this.bell = bell;
        this.limits = settings.jobLimits();
        this.clock = clock;
    }

    public SnapshotVerifier verifier() {
        return verifier;
    }

    /**
     * Queues verification of a snapshot; {@code again} asks for a new run even if one was done.
     * The job's id derives from the snapshot and its last verification, so asking again and
     * again before that run is done queues it once.
     */
    public void enqueue(String snapshotId, boolean again) {
        enqueue(snapshotId, again, null);
    }

    private void enqueue(String snapshotId, boolean again, String inFlightFailed) {
        UUID jobId = again
                ? UUID.nameUUIDFromBytes(("verify-again:" + snapshotId + ":" + snapshots.find(snapshotId)
                        .map(snapshot -> String.valueOf(snapshot.verifiedAt())).orElse("")).getBytes(StandardCharsets.UTF_8))
                : UUID.nameUUIDFromBytes(("verify:" + snapshotId).getBytes(StandardCharsets.UTF_8));
        jobs.enqueue(jobId, new VerifyJob(snapshotId, inFlightFailed));
        bell.ring();
    }

    /**
     * Verifies snapshots while they are stored ({@code AUTOBUS_VERIFY_IN_FLIGHT}), and always those encrypted to the customer's
     * key: their stored copy cannot be opened here.
     */
    @Override
    public InFlight inFlight(Snapshot snapshot, boolean encrypted) {
        if (!limits.verifyInFlight() && !encrypted) {
            return InFlight.NONE;
        }
        Duration wait = limits.verifyInFlight() ? limits.verifyInFlightWait() : Settings.JobLimits.IN_FLIGHT_WAIT;
        return new InFlightVerification(verifier, snapshot, wait, InFlightVerification.BUFFER_BYTES, clock);
    }

    @Override
    public void completed(Snapshot snapshot, InFlight verifying) {
        String notInFlight = verifying.finish(snapshot);
        if (notInFlight != null) {
            if (!notInFlight.isEmpty()) {
                LOG.info("event=verify_in_flight_fell_back snapshot={} reason=\"{}\"", snapshot.id(), notInFlight);
            }
            enqueue(snapshot.id(), false, notInFlight.isEmpty() ? null : notInFlight);
        }
    }

    /**
     * A verdict given stands; else the check after upload is queued, once: its job id is the snapshot's, so one already
     * queued (the verification in flight gave up) is not queued again.
     */
    @Override
    public void completedBefore(Snapshot snapshot) {
        if (snapshot.verification() == null || "running".equals(snapshot.verification())) {
            LOG.info("event=verify_after_repeated_backup snapshot={}", snapshot.id());
            enqueue(snapshot.id(), false, "its worker stopped before the verdict");
        }
    }

    @Override
    public void failed(Snapshot snapshot, String error) {
        // nothing to verify; the owner is told by backup.BackupNotices
    }

    /**
     * Removes what a worker that stopped half-way left behind: the embedded verification servers
     * of dead processes (with the restored data), the private directories of tool runs
     * (credentials files), and scratch databases and their logins no running verification holds.
     * Returns how many scratch databases were dropped.
     */
    public int cleanUpLeftovers() {
        EmbeddedVerifyServer.sweep(verifyRoot);
        EmbeddedMariadbServer.sweep(verifyRoot);
        tools.sweepLeftovers();
        int dropped = 0;
        var servers = new java.util.ArrayList<>(postgres.configured()); // embedded ones start empty
        mysql.ifPresent(servers::add);
        for (ScratchServer server : servers) {
            try {
                for (String name : server.scratchDatabases()) {
                    var lock = locks.tryLock("verify:" + name.substring(ScratchServer.PREFIX.length()));
                    if (lock.isPresent()) {
                        try (var held = lock.get()) {
                            server.drop(name);
                            dropped++;
                            LOG.info("event=scratch_database_dropped name={}", name);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("event=scratch_cleanup_failed reason=\"{}\"", e.getMessage());
            }
        }
        return dropped;
    }

    @Override
    public void close() throws Exception {
        try {
            postgres.close();
        } finally {
            if (mysql.orElse(null) instanceof EmbeddedMysqlScratch embedded) {
                embedded.close();
            }
        }
    }
}
