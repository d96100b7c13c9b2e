package io.autobus.storage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one budget for every part buffer of every upload in this process
 * ({@code AUTOBUS_UPLOAD_MEMORY_MB}): the buffers lent and the ones kept for reuse never add up
 * to more. A buffer is lent whole or not at all, in the order asked for (a large part is not
 * starved by small ones), so an upload waiting for one holds only parts already on their way to
 * S3, which give their memory back by themselves: no two uploads can wait for each other. But the
 * part another upload is filling stays lent while its dump runs, and a customer's database may
 * send its rows slowly: a wait is bounded, and past it the upload fails saying why.
 */
public final class UploadMemory {
    /** How long an upload waits for room at most, by default: far longer than parts take to reach S3. */
    static final Duration LONGEST_WAIT = Duration.ofMinutes(30);

    private final long budget;
    private final Duration longestWait;
    private final Map<Integer, Deque<byte[]>> kept = new HashMap<>();
    private final Deque<Object> waiting = new ArrayDeque<>();
    private long lent;
    private long keptBytes;
    private long peakLent;

    /** Part sizes beyond the budget are refused when asked for; the settings check the standard ones at start. */
    UploadMemory(long budgetBytes, Duration longestWait) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("the upload memory must be positive");
        }
        this.budget = budgetBytes;
        this.longestWait = longestWait;
    }

    /** A budget of {@code megabytes} MiB. */
    public static UploadMemory ofMegabytes(int megabytes) {
        return new UploadMemory((long) megabytes * PartSizes.MIB, LONGEST_WAIT);
    }

    /** No room came free within the longest wait: the upload fails (and is aborted) with this message. */
    static final class NoRoomException extends IllegalStateException {
        NoRoomException(String message) {
            super(message);
        }
    }

    /**
     * A buffer of exactly {@code size} bytes, waiting until the budget has room for it.
     *
     * @throws NoRoomException when none came free within the longest wait
     */
    synchronized byte[] borrow(int size) throws InterruptedException {
        if (size > budget) {
            throw new IllegalArgumentException("a part of " + size + " bytes is larger than the upload memory of " + budget + " bytes");
        }
        Object turn = new Object();
        waiting.addLast(turn);
        long deadline = System.nanoTime() + longestWait.toNanos();
        try {
            while (waiting.peekFirst() != turn || lent + size > budget) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new NoRoomException("no upload memory came free for " + longestWait.toSeconds() + " s ("
                            + budget / PartSizes.MIB + " MiB, AUTOBUS_UPLOAD_MEMORY_MB, were lent to other uploads); nothing was stored");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } finally {
            waiting.remove(turn);
            notifyAll(); // the next in line may fit too
        }
        lent += size;
        peakLent = Math.max(peakLent, lent);
        var same = kept.get(size);
        if (same != null && !same.isEmpty()) {
            keptBytes -= size;
            return same.pop();
        }
        dropKeptUntilRoom();
        return new byte[size];
    }

    /** Back from an upload: kept for the next part of the same size while the budget allows. */
    synchronized void giveBack(byte[] buffer) {
        lent -= buffer.length;
        kept.computeIfAbsent(buffer.length, size -> new ArrayDeque<>()).push(buffer);
        keptBytes += buffer.length;
        notifyAll();
    }

    /** Back to the budget, but not kept: it may still be read (a part's request after its upload was given up). */
    synchronized void forget(byte[] buffer) {
        lent -= buffer.length;
        notifyAll();
    }

    /** Kept buffers of other sizes are let go, so that what exists never exceeds the budget. */
    private void dropKeptUntilRoom() {
        for (Iterator<Deque<byte[]>> sizes = kept.values().iterator(); sizes.hasNext() && lent + keptBytes > budget; ) {
            var buffers = sizes.next();
            while (!buffers.isEmpty() && lent + keptBytes > budget) {
                keptBytes -= buffers.pop().length;
            }
            if (buffers.isEmpty()) {
                sizes.remove();
            }
        }
    }

    public long budgetBytes() {
        return budget;
    }

    /** The most bytes lent at once since the start. */
    public synchronized long peakLentBytes() {
        return peakLent;
    }

    /** Bytes of buffers that exist now, lent or kept. */
    synchronized long existingBytes() {
        return lent + keptBytes;
    }
}
