package io.autobus.backup;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class BackupJobHandler implements JobRequestHandler<BackupJob> {
    private final BackupRunner runner;

    public BackupJobHandler(BackupRunner runner) {
        this.runner = runner;
    }

    /** Retries only happen when the database was busy or the worker died: failures of the dump are recorded, not retried. */
    @Override
    @Job(name = "Back up snapshot %0", retries = 8)
    public void run(BackupJob job) {
        runner.run(job.snapshotId());
    }
}
