package io.autobus.notify;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class DeliverNotificationJobHandler implements JobRequestHandler<DeliverNotificationJob> {
    private final NotificationDelivery delivery;

    public DeliverNotificationJobHandler(NotificationDelivery delivery) {
        this.delivery = delivery;
    }

    /** A channel that failed makes the job fail, and JobRunr retries it (only the failed channel is sent again). */
    @Override
    @Job(name = "Deliver notification %0", retries = 6)
    public void run(DeliverNotificationJob job) {
        delivery.deliver(job.notificationId());
    }
}
