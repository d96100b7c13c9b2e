package io.autobus.backup;

import io.autobus.dump.DumpProgress;
import io.autobus.logging.RepeatedLog;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a running dump's progress on its snapshot, from a thread of its own, until closed:
 * once per {@code every} at most, and only when it moved. Progress is a courtesy: a write that
 * fails is logged and the next one tried, and never fails the backup. Closing stops the thread
 * and waits for it (a while), so that it ends with the dump whether that completed, failed or
 * ran out of time.
 */
public final class ProgressReporter implements AutoCloseable {
    /** How often a running snapshot's row is written at most. */
    public static final Duration EVERY = Duration.ofSeconds(1);
    /** A write stuck longer than this is left behind; it cannot touch a finished snapshot anyway. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    /** Where progress goes: the snapshot's row. */
    public interface Sink {
        void record(DumpProgress.View progress);
    }

    private final String snapshotId;
    private final Supplier<DumpProgress.View> progress;
    private final Sink sink;
    private final Duration every;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    /** A metadata store that is down fails every write: one line a minute, not one a second. */
    private final RepeatedLog failures = new RepeatedLog(LOG, Duration.ofMinutes(1));

    private ProgressReporter(String snapshotId, Supplier<DumpProgress.View> progress, Sink sink, Duration every) {
        this.snapshotId = snapshotId;
        this.progress = progress;
        this.sink = sink;
        this.every = every;
        // A named platform thread, so that a thread dump shows which snapshots report; a daemon, never holding the JVM up.
        this.thread = Thread.ofPlatform().daemon().name("progress-" + snapshotId).unstarted(this::report);
    }

    /** Starts reporting {@code progress} to {@code sink}; the first report comes after {@code every}. */
    public static ProgressReporter start(String snapshotId, Supplier<DumpProgress.View> progress, Sink sink, Duration every) {
        var reporter = new ProgressReporter(snapshotId, progress, sink, every);
        reporter.thread.start();
        return reporter;
    }

    private void report() {
        DumpProgress.View recorded = null;
        try {
            while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                recorded = recordIfMoved(recorded);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What is recorded now: the dump's progress, or what was before when it did not move or could not be written. */
    private DumpProgress.View recordIfMoved(DumpProgress.View recorded) {
        try {
            DumpProgress.View now = progress.get();
            if (!now.equals(recorded)) {
                sink.record(now);
                return now;
            }
        } catch (RuntimeException e) {
            failures.warn("progress", "event=progress_not_recorded snapshot=" + snapshotId + " reason=\""
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("").replace('"', '\'') + "\"");
        }
        return recorded;
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            if (!thread.join(STOP_WAIT)) {
                thread.interrupt();
                LOG.warn("event=progress_writer_stuck snapshot={}", snapshotId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
