package io.autobus.backup;

import io.autobus.jobs.BusyException;
import io.autobus.jobs.JobPostponer;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class BackupJobHandler implements JobRequestHandler<BackupJob> {
    private final BackupRunner runner;
    private final JobPostponer postponer;

    public BackupJobHandler(BackupRunner runner, JobPostponer postponer) {
        this.runner = runner;
        this.postponer = postponer;
    }

    /**
     * Failures of the dump (a timeout too) are recorded, not retried; a busy database or add-on
     * postpones the job (see {@link JobPostponer}); retries are left for a worker that died.
     */
    @Override
    @Job(name = "Back up snapshot %0", retries = 8)
    public void run(BackupJob job) {
        try {
            runner.run(job.snapshotId());
        } catch (BusyException e) {
            var context = jobContext(); // none outside JobRunr
            postponer.postpone(context == null ? null : context.getJobId(), job, e.waitingSince());
        }
    }
}
