package io.autobus.verify;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dump's bytes on their way to the store, handed to an in-flight restore through a bounded
 * buffer: memory stays flat whatever the size of the dump. The slower side paces both: the
 * writer (the upload) waits for room, but never longer than {@code paceLimit} at a stretch;
 * past that the copy is abandoned, the upload goes on alone, and the restore reads an error.
 * Until the restore starts reading, the buffer also serves its first bytes ({@link #head}) for
 * reading a table of contents: nothing is read yet, so nothing there has been overwritten, and no
 * second buffer is kept (a worker runs several of these at once within a dyno's heap). A lock and
 * a condition rather than monitors: the reader is a virtual thread, which a monitor's wait would
 * pin to its carrier on Java 21.
 */
final class PacedPipe {
    private final byte[] ring;
    private final Duration paceLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long written;
    private long read;
    private boolean ended;
    private boolean readerGone;
    private String abandoned;

    PacedPipe(int capacity, Duration paceLimit) {
        this.ring = new byte[capacity];
        this.paceLimit = paceLimit;
    }

    /**
     * Copies {@code len} bytes in, waiting for room; false when the copy is over (the reader stopped, or it fell
     * behind by more than the pace limit and was abandoned): the caller stops copying, its own stream goes on.
     */
    boolean write(byte[] bytes, int offset, int length) {
        lock.lock();
        try {
            while (length > 0) {
                long waitingSince = System.nanoTime();
                while (written - read == ring.length && !readerGone && abandoned == null) {
                    long waited = System.nanoTime() - waitingSince;
                    if (waited >= paceLimit.toNanos()) {
                        abandoned = "the restore fell behind the dump (no room in its " + ring.length / 1024
                                + " KiB buffer for " + paceLimit.toSeconds() + " s)";
                        changed.signalAll();
                        return false;
                    }
                    waitFor(paceLimit.toNanos() - waited);
                }
                if (readerGone || abandoned != null) {
                    return false;
                }
                int at = (int) (written % ring.length);
                int n = (int) Math.min(length, Math.min(ring.length - (written - read), ring.length - at));
                System.arraycopy(bytes, offset, ring, at, n);
                written += n;
                offset += n;
                length -= n;
                changed.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The whole stream went in. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Gives the copy up (the backup failed, say): the reader reads an error with this reason. */
    void abandon(String reason) {
        lock.lock();
        try {
            if (abandoned == null) {
                abandoned = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Why the copy was given up, or null. */
    String abandoned() {
        lock.lock();
        try {
            return abandoned;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first bytes, as many as the buffer holds, once it is full or the stream ended: for reading a table of
     * contents before the restore reads anything.
     *
     * @throws IllegalStateException once reading has begun (the first bytes may be overwritten)
     */
    byte[] head() throws IOException {
        lock.lock();
        try {
            while (written < ring.length && !ended && abandoned == null && read == 0) {
                waitFor(Long.MAX_VALUE);
            }
            if (abandoned != null) {
                throw new IOException(abandoned);
            }
            if (read > 0) {
                throw new IllegalStateException("the first bytes are gone: the restore has begun reading");
            }
            return Arrays.copyOf(ring, (int) written);
        } finally {
            lock.unlock();
        }
    }

    /** The bytes as they come, once; closing it tells the writer to stop copying. */
    InputStream reader() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return take(bytes, offset, length);
            }

            @Override
            public void close() {
                readerDone();
            }
        };
    }

    private int take(byte[] bytes, int offset, int length) throws IOException {
        lock.lock();
        try {
            if (length == 0) {
                return 0;
            }
            while (written == read && !ended && abandoned == null) {
                waitFor(Long.MAX_VALUE);
            }
            if (abandoned != null) {
                throw new IOException(abandoned);
            }
            if (written == read) {
                return -1;
            }
            int at = (int) (read % ring.length);
            int n = (int) Math.min(length, Math.min(written - read, ring.length - at));
            System.arraycopy(ring, at, bytes, offset, n);
            read += n;
            changed.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Nothing more is read (the restore ended, or never started): the writer stops copying, at once. */
    void readerDone() {
        lock.lock();
        try {
            readerGone = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void waitFor(long nanos) {
        try {
            if (nanos == Long.MAX_VALUE) {
                changed.await();
            } else {
                changed.await(Math.max(1, nanos), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = "interrupted";
        }
    }
}
