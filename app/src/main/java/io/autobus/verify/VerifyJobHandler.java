package io.autobus.verify;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class VerifyJobHandler implements JobRequestHandler<VerifyJob> {
    private final SnapshotVerifier verifier;

    public VerifyJobHandler(SnapshotVerifier verifier) {
        this.verifier = verifier;
    }

    /** Retried with JobRunr's back-off when the verification server is down; the snapshot stays unverified meanwhile. */
    @Override
    @Job(name = "Verify snapshot %0", retries = 10)
    public void run(VerifyJob job) {
        verifier.verify(job.snapshotId());
    }
}
