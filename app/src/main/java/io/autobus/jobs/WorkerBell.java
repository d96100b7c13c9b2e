package io.autobus.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jobrunr.server.BackgroundJobServer;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the workers for a job someone is waiting for (a snapshot asked for on the dashboard or
 * the API, its verification), instead of leaving it to their next poll: JobRunr polls SQL
 * storage at most every 5 s, which would be most of the time of a small backup. The bell is a
 * PostgreSQL NOTIFY on the metadata database, so it reaches worker dynos as well as this
 * process. A missed ring costs nothing but that wait: the poll still finds the job.
 */
public final class WorkerBell implements AutoCloseable {
    /** For code run without workers (tests of one component): rings nobody. */
    public static final WorkerBell NONE = new WorkerBell(null);

    private static final Logger LOG = LoggerFactory.getLogger(WorkerBell.class);
    private static final String CHANNEL = "autobus_jobs";

    private final DataSource dataSource;
    private volatile boolean closed;
    private Thread listener;

    WorkerBell(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Call after enqueueing the job. */
    public void ring() {
        if (dataSource == null) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT pg_notify(?, '')")) {
            statement.setString(1, CHANNEL);
            statement.execute();
        } catch (SQLException e) {
            LOG.warn("event=worker_bell_failed reason={}", e.getMessage());
        }
    }

    /** In a worker: on each ring, the job server looks for enqueued jobs at once. */
    void listen(BackgroundJobServer server) {
        listener = Thread.ofPlatform().name("worker-bell").daemon().start(() -> {
            while (!closed) {
                try (Connection connection = dataSource.getConnection()) {
                    connection.createStatement().execute("LISTEN " + CHANNEL);
                    var notifications = connection.unwrap(PGConnection.class);
                    while (!closed) {
                        var rung = notifications.getNotifications(10_000);
                        if (rung != null && rung.length > 0 && server.isRunning()) {
                            // JobRunr's own path when a worker thread frees up: fetch enqueued jobs now.
                            server.getJobSteward().notifyThreadOccupied();
                            server.getJobSteward().notifyThreadIdle();
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    if (!closed) {
                        LOG.warn("event=worker_bell_listen_failed reason={} (jobs are still found by polling)", e.getMessage());
                        pause();
                    }
                }
            }
        });
    }

    private void pause() {
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            listener.interrupt();
        }
    }
}
