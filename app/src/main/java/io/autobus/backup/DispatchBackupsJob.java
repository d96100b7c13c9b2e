package io.autobus.backup;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Recurring: enqueue the scheduled backups that are due. */
public record DispatchBackupsJob() implements JobRequest {
    @Override
    public Class<DispatchBackupsJobHandler> getJobRequestHandler() {
        return DispatchBackupsJobHandler.class;
    }
}
