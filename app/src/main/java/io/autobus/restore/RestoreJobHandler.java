package io.autobus.restore;

import io.autobus.jobs.BusyException;
import io.autobus.jobs.JobPostponer;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class RestoreJobHandler implements JobRequestHandler<RestoreJob> {
    private final RestoreRunner runner;
    private final JobPostponer postponer;

    public RestoreJobHandler(RestoreRunner runner, JobPostponer postponer) {
        this.runner = runner;
        this.postponer = postponer;
    }

    /** Failures are recorded on the restore, not retried; a target being backed up postpones it; retries are for a worker that died. */
    @Override
    @Job(name = "Restore %0", retries = 3)
    public void run(RestoreJob job) {
        try {
            runner.run(job.restoreId());
        } catch (BusyException e) {
            var context = jobContext(); // none outside JobRunr
            postponer.postpone(context == null ? null : context.getJobId(), job, e.waitingSince());
        }
    }
}
