package io.autobus.verify;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Recurring: queue the monthly deep checks that are due. */
public record DispatchDeepChecksJob() implements JobRequest {
    @Override
    public Class<DispatchDeepChecksJobHandler> getJobRequestHandler() {
        return DispatchDeepChecksJobHandler.class;
    }
}
