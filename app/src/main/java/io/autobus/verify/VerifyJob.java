package io.autobus.verify;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Restore one snapshot into a scratch database and check it.
 *
 * @param inFlightFailed why it was not verified while it was stored (said with the verdict), or null
 */
public record VerifyJob(String snapshotId, String inFlightFailed) implements JobRequest {
    public VerifyJob(String snapshotId) {
        this(snapshotId, null);
    }

    @Override
    public Class<VerifyJobHandler> getJobRequestHandler() {
        return VerifyJobHandler.class;
    }
}
