package io.autobus.restore;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Run one restore (its row exists, pending). */
public record RestoreJob(String restoreId) implements JobRequest {
    @Override
    public Class<RestoreJobHandler> getJobRequestHandler() {
        return RestoreJobHandler.class;
    }
}
