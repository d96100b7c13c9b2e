package io.autobus.verify;

import io.autobus.backup.BackupRunner;
import io.autobus.backup.InFlight;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotRepository;
import io.autobus.config.Settings;
import io.autobus.jobs.WorkerBell;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verification as the backups see it: the queue that verifies every completed snapshot, and the
 * verification of a snapshot while it is stored.
 */
public final class Verification implements BackupRunner.Outcomes {
    private static final Logger LOG = LoggerFactory.getLogger(Verification.class);

    private final SnapshotRepository snapshots;
    private final SnapshotVerifier verifier;
    private final JobRequestScheduler jobs;
    private final WorkerBell bell;
    private final Settings.JobLimits limits;
    private final Clock clock;

    public Verification(SnapshotRepository snapshots, SnapshotVerifier verifier, JobRequestScheduler jobs, WorkerBell bell,
                        Settings.JobLimits limits, Clock clock) {
        this.snapshots = snapshots;
        this.verifier = verifier;
        this.jobs = jobs;
        this.bell = bell;
        this.limits = limits;
        this.clock = clock;
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
}
