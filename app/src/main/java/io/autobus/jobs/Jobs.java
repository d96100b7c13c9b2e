package io.autobus.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * All JobRunr wiring. Jobs live in the metadata PostgreSQL, so any number of worker processes
 * share them and none runs a job twice. Two steps, because handlers need the scheduler to be
 * built: {@link #create} gives the scheduler, {@link #start} hands over the handlers and
 * starts executing (in a worker).
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
    public static Jobs create(DataSource dataSource, boolean runServer, int workers) {
        // Instances, not JobRunr.configure(): that also sets JVM-wide statics, and a test JVM runs several services.
        var jsonMapper = new JacksonJsonMapper();
        var storage = new PostgresStorageProvider(dataSource);
        storage.setJobMapper(new JobMapper(jsonMapper));
        List<JobFilter> filters = List.of(new JobFailureLog());
        var activator = new HandlerActivator();
        BackgroundJobServer server = null;
        if (runServer) {
            server = new BackgroundJobServer(storage, jsonMapper, activator, BackgroundJobServerConfiguration
                    .usingStandardBackgroundJobServerConfiguration()
                    .andPollInterval(POLL_INTERVAL)
                    .andWorkerCount(workers));
            server.setJobFilters(filters);
        }
        return new Jobs(storage, new JobRequestScheduler(storage, filters), server, activator, new WorkerBell(dataSource));
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
