package io.autobus.addon;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Recurring: enqueue an access check for every add-on whose next check is due. */
public record DispatchAccessChecksJob() implements JobRequest {
    @Override
    public Class<DispatchAccessChecksJobHandler> getJobRequestHandler() {
        return DispatchAccessChecksJobHandler.class;
    }
}
