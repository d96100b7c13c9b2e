package io.autobus.verify;

import io.autobus.jobs.BusyException;
import io.autobus.jobs.JobPostponer;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class VerifyJobHandler implements JobRequestHandler<VerifyJob> {
    private final SnapshotVerifier verifier;
    private final JobPostponer postponer;

    public VerifyJobHandler(SnapshotVerifier verifier, JobPostponer postponer) {
        this.verifier = verifier;
        this.postponer = postponer;
    }

    /**
     * Retried with JobRunr's back-off when the verification server is down; the snapshot stays unverified meanwhile.
     * Postponed (not retried) while the add-on's verification slots are taken.
     */
    @Override
    @Job(name = "Verify snapshot %0", retries = 10)
    public void run(VerifyJob job) {
        try {
            verifier.verify(job.snapshotId(), job.inFlightFailed());
        } catch (BusyException e) {
            var context = jobContext(); // none outside JobRunr
            postponer.postpone(context == null ? null : context.getJobId(), job, e.waitingSince());
        }
    }
}
