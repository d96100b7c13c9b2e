package io.autobus.logging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One line per kind of event and window, with how many there were: the first event of a kind is
 * logged at once, the next ones within {@code window} are only counted, and the first one after
 * the window is logged with that count ({@code occurrences=N}, this one included). So a failure
 * that repeats every few seconds costs one line every few minutes, never a line (or a stack
 * trace) each time. Counts still open when events stop are not logged. Real time, not the
 * injected clock: it bounds what reaches the log.
 */
public final class RepeatedLog {
    /** Beyond this many kinds (one per client address, say) the tallies start over rather than grow. */
    private static final int MAX_KINDS = 10_000;

    private final Logger log;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Tally> tallies = new HashMap<>();

    public RepeatedLog(Logger log, Duration window) {
        this(log, window, System::nanoTime);
    }

    RepeatedLog(Logger log, Duration window, LongSupplier nanoTime) {
        this.log = log;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** @param line a {@code key=value} line without secrets; {@code occurrences=N} is appended */
    public void warn(String kind, String line) {
        long count = count(kind);
        if (count > 0) {
            log.warn("{} occurrences={}", line, count);
        }
    }

    public void error(String kind, String line) {
        long count = count(kind);
        if (count > 0) {
            log.error("{} occurrences={}", line, count);
        }
    }

    /** The count to log now, or 0 to keep quiet. */
    private synchronized long count(String kind) {
        long now = nanoTime.getAsLong();
        Tally tally = tallies.get(kind);
        if (tally == null) {
            if (tallies.size() >= MAX_KINDS) {
                tallies.clear();
            }
            tallies.put(kind, new Tally(now));
            return 1;
        }
        tally.unlogged++;
        if (now - tally.loggedAt < windowNanos) {
            return 0;
        }
        long count = tally.unlogged;
        tally.unlogged = 0;
        tally.loggedAt = now;
        return count;
    }

    private static final class Tally {
        long loggedAt;
        long unlogged;

        Tally(long loggedAt) {
            this.loggedAt = loggedAt;
        }
    }
}
