package io.autobus.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobRequestScheduler;

/**
 * Runs a busy job again a little later, as a new scheduled job, and lets the current one end.
 *
 * <p>Why not JobRunr's retries: they are few (8 to 10) with exponential back-off (3^n seconds,
 * about 2.7 h in all for 8), and they are spent by real failures too. An add-on whose one
 * backup slot is held by a run that may last up to its time limit, with several databases
 * queued behind it, can wait longer than that; a job failed for good would lose that day's
 * snapshot. A postponed job ends at once (succeeded), frees its worker thread, and leaves
 * the retries to real failures.
 *
 * <p>The next try comes after a quarter of the time waited so far, between 10 s and 5 min: a
 * short wait is noticed quickly, a long one costs one tiny job every few minutes. The new job's
 * id derives from the current one, so a run repeated by JobRunr (a worker that died) postpones
 * into the same job rather than starting a second chain.
 */
public final class JobPostponer {
    static final Duration SHORTEST = Duration.ofSeconds(10);
    static final Duration LONGEST = Duration.ofMinutes(5);

    private final JobRequestScheduler scheduler;
    private final Clock clock;

    public JobPostponer(JobRequestScheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * @param currentJobId the running job's id (null outside JobRunr: a fresh id is used)
     * @return the id of the job that will run the request later
     */
    public UUID postpone(UUID currentJobId, JobRequest request, Instant waitingSince) {
        UUID next = currentJobId == null ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes(("postponed:" + currentJobId).getBytes(StandardCharsets.UTF_8));
        // JobRunr compares schedules with the system clock, not with ours.
        scheduler.schedule(next, Instant.now().plus(delay(Duration.between(waitingSince, clock.instant()))), request);
        return next;
    }

    static Duration delay(Duration waited) {
        Duration quarter = waited.isNegative() ? Duration.ZERO : waited.dividedBy(4);
        return quarter.compareTo(SHORTEST) < 0 ? SHORTEST : quarter.compareTo(LONGEST) > 0 ? LONGEST : quarter;
    }
}
