package io.autobus.verify;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Restore one snapshot into a scratch database and check it. */
public record VerifyJob(String snapshotId) implements JobRequest {
    @Override
    public Class<VerifyJobHandler> getJobRequestHandler() {
        return VerifyJobHandler.class;
    }
}
