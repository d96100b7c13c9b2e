package io.autobus.addon;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;

/**
 * Enqueues access checks under an id made of the add-on and the due time, so that however many
 * times a round is enqueued (by provisioning, by dispatchers on several dynos) it runs once.
 */
public final class AccessCheckQueue {
    private final JobRequestScheduler scheduler;

    public AccessCheckQueue(JobRequestScheduler scheduler) {
        this.scheduler = scheduler;
    }

    public void enqueue(UUID addonId, Instant dueAt) {
        UUID jobId = UUID.nameUUIDFromBytes(("check-access:" + addonId + ":" + dueAt.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
        scheduler.enqueue(jobId, new CheckAccessJob(addonId));
    }
}
