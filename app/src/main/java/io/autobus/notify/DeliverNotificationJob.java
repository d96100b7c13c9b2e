package io.autobus.notify;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/** Send one kept notification by mail and webhook. */
public record DeliverNotificationJob(UUID notificationId) implements JobRequest {
    @Override
    public Class<DeliverNotificationJobHandler> getJobRequestHandler() {
        return DeliverNotificationJobHandler.class;
    }
}
