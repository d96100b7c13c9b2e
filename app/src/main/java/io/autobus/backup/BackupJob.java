package io.autobus.backup;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Take one snapshot (its row exists, pending). */
public record BackupJob(String snapshotId) implements JobRequest {
    @Override
    public Class<BackupJobHandler> getJobRequestHandler() {
        return BackupJobHandler.class;
    }
}
