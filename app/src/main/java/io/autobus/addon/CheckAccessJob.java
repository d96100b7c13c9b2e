package io.autobus.addon;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/** Check whether Autobus can read one add-on's config vars. */
public record CheckAccessJob(UUID addonId) implements JobRequest {
    @Override
    public Class<CheckAccessJobHandler> getJobRequestHandler() {
        return CheckAccessJobHandler.class;
    }
}
