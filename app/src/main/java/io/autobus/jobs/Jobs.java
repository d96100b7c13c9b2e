package io.autobus.jobs;

import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * All JobRunr wiring. Jobs live in the metadata PostgreSQL, so any number of worker processes
 * share them and none runs a job twice. Two steps, because handlers need the scheduler to be
 * built: {@link #configure} gives the scheduler, {@link #start} hands over the handlers and
 * starts executing (in a worker) .
 */
public final class Jobs implements AutoCloseable {
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    private final PostgresStorageProvider storage;
    private final JobRequestScheduler scheduler;
    private final BackgroundJobServer server;
    private final HandlerActivator activator;
    private final WorkerBell bell;

    private Jobs(PostgresStorageProvider storage, JobRequestScheduler scheduler, BackgroundJobServer server,
                 HandlerActivator activator, WorkerBell bell) {
        this.storage = storage;
        this.scheduler = scheduler;
        this.server = server;
        this.activator = activator;
        this.bell = bell;
    }

    /**
     * @param runServer whether this process executes jobs (worker) or only enqueues them (web)
     * @param workers   jobs run at once; a backup or verification holds a database connection
     *                  (its lock) throughout, so this must stay below the connection pool's size
     */
    public static Jobs configure(DataSource dataSource, boolean runServer, int workers) {
        var storage = new PostgresStorageProvider(dataSource);
        var activator = new HandlerActivator();
        var result = JobRunr.configure()
                .useJsonMapper(new JacksonJsonMapper())
                .useStorageProvider(storage)
                .useJobActivator(activator)
                .withJobFilter(new JobFailureLog())
                .useBackgroundJobServerIf(runServer, BackgroundJobServerConfiguration
                        .usingStandardBackgroundJobServerConfiguration()
                        .andPollInterval(POLL_INTERVAL)
                        .andWorkerCount(workers), false)
                .initialize();
        return new Jobs(storage, result.getJobRequestScheduler(), runServer ? result.getBackgroundJobServer() : null, activator,
                new WorkerBell(dataSource));
    }

    /** A job request to run again and again. */
    public record RecurringJob(Duration every, JobRequest request) {
    }

    /**
     * @param handlers  handler instances by class
     * @param recurring recurring jobs by id; registering them again only updates them
     */
    public void start(Map<Class<?>, Object> handlers, Map<String, RecurringJob> recurring) {
        activator.handlers = Map.copyOf(handlers);
        recurring.forEach((id, job) -> scheduler.scheduleRecurrently(id, job.every(), job.request()));
        if (server != null) {
            server.start();
            bell.listen(server);
        }
    }

    public JobRequestScheduler scheduler() {
        return scheduler;
    }

    /** Rung after enqueueing a job someone waits for. */
    public WorkerBell bell() {
        return bell;
    }

    @Override
    public void close() {
        bell.close();
        if (server != null) {
            server.stop();
        }
        storage.close();
    }

    private static final class HandlerActivator implements JobActivator {
        private volatile Map<Class<?>, Object> handlers = Map.of();

        @Override
        public <T> T activateJob(Class<T> type) {
            Object handler = handlers.get(type);
            if (handler == null) {
                throw new IllegalStateException("no handler registered for " + type.getName());
            }
            return type.cast(handler);
        }
    }
}
