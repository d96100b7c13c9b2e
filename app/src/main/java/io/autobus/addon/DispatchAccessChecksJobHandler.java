package io.autobus.addon;

import java.time.Clock;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class DispatchAccessChecksJobHandler implements JobRequestHandler<DispatchAccessChecksJob> {
    private static final int BATCH = 500;

    private final AddonRepository addons;
    private final AccessCheckQueue queue;
    private final Clock clock;

    public DispatchAccessChecksJobHandler(AddonRepository addons, AccessCheckQueue queue, Clock clock) {
        this.addons = addons;
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    @Job(name = "Dispatch due access checks", retries = 0)
    public void run(DispatchAccessChecksJob job) {
        addons.dueForAccessCheck(clock.instant(), BATCH).forEach(due -> queue.enqueue(due.addonId(), due.dueAt()));
    }
}
