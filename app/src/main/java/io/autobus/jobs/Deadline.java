package io.autobus.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A wall-clock limit on one run of a job. When the time is up it stops whatever the run
 * {@linkplain #guard guarded} (kills the tool pipeline, aborts the database connection), so the
 * thread blocked on it fails at once; afterwards {@link #expired()} tells the run why. Closing
 * the deadline cancels it. Real time, not the injected clock: it bounds real threads.
 */
public final class Deadline implements AutoCloseable {
    private final Duration limit;
    private final String setting;
    private final List<Runnable> stops = new ArrayList<>();
    private final Thread timer;
    private boolean expired;
    private boolean closed;

    private Deadline(Duration limit, String setting) {
        this.limit = limit;
        this.setting = setting;
        this.timer = Thread.ofVirtual().name("deadline-" + setting).unstarted(this::await);
    }

    /**
     * @param setting the environment variable that set the limit, named in the message
     */
    public static Deadline start(Duration limit, String setting) {
        var deadline = new Deadline(limit, setting);
        deadline.timer.start();
        return deadline;
    }

    /** Runs {@code stop} when the time is up, or at once if it already is. */
    public void guard(Runnable stop) {
        synchronized (this) {
            if (!expired) {
                stops.add(stop);
                return;
            }
        }
        stopQuietly(stop);
    }

    /** Aborts the connection when the time is up: a query blocked on it fails at once. */
    public void guard(Connection connection) {
        guard(() -> {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException ignored) {
                // already closed
            }
        });
    }

    public synchronized boolean expired() {
        return expired;
    }

    /** What a run that ran out of time records, e.g. {@code timed out after 6 h (AUTOBUS_BACKUP_TIMEOUT)}. */
    public String message() {
        return "timed out after " + describe(limit) + " (" + setting + ")";
    }

    /** {@code 90 s}, {@code 30 min}, {@code 6 h}, {@code 1 h 30 min}. */
    public static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 60 != 0 || seconds == 0) {
            return seconds + " s";
        }
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        return hours == 0 ? minutes + " min" : minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
    }

    private void await() {
        try {
            Thread.sleep(limit);
        } catch (InterruptedException e) {
            return; // cancelled: the run ended in time
        }
        List<Runnable> toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            expired = true;
            toStop = List.copyOf(stops);
        }
        toStop.forEach(Deadline::stopQuietly);
    }

    private static void stopQuietly(Runnable stop) {
        try {
            stop.run();
        } catch (RuntimeException ignored) {
            // stopping something that already ended
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        timer.interrupt();
    }
}
