package io.autobus.backup;

import io.autobus.dump.DumpProgress;
import java.time.Duration;
import java.time.Instant;

/**
 * How far a running snapshot is, as the API and the dashboard show it.
 *
 * @param bytes      data bytes the dump has passed so far (0 before the first report)
 * @param percent    0-99 of the bytes expected; never 100 before the snapshot completed (the
 *                   file is still being stored, and the expectation is the tables' size on the
 *                   server, not the dump's); null while nothing is expected yet
 * @param etaSeconds seconds still to go at the rate so far; null while that rate or the
 *                   remainder is unknown, or once the dump passed more than was expected
 * @param table      the table being dumped, null between tables
 */
public record ProgressEstimate(long bytes, Integer percent, Long etaSeconds, String table) {

    /** A running snapshot's estimate at {@code now}; null when it is not running. */
    public static ProgressEstimate of(Snapshot snapshot, Instant now) {
        return snapshot.status() == SnapshotStatus.RUNNING ? of(snapshot.progress(), snapshot.startedAt(), now) : null;
    }

    /** @param progress as last recorded, or null before the first report */
    public static ProgressEstimate of(DumpProgress.View progress, Instant startedAt, Instant now) {
        if (progress == null) {
            return new ProgressEstimate(0, null, null, null);
        }
        long bytes = progress.bytes();
        Long expected = progress.expectedBytes();
        if (expected == null || expected <= 0) {
            return new ProgressEstimate(bytes, null, null, progress.table());
        }
        int percent = (int) Math.min(99, Math.max(0, bytes * 100.0 / expected));
        long remaining = expected - bytes;
        Duration elapsed = startedAt == null ? Duration.ZERO : Duration.between(startedAt, now);
        // The whole run so far is the yardstick: a stall makes the estimate grow, as it should.
        Long eta = bytes <= 0 || remaining <= 0 || !elapsed.isPositive() ? null
                : (long) Math.ceil(elapsed.toMillis() / 1000.0 * remaining / bytes);
        return new ProgressEstimate(bytes, percent, eta, progress.table());
    }
}
