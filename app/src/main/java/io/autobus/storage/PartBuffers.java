package io.autobus.storage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;

/**
 * The few byte arrays one upload fills and sends, reused part after part. {@link #take} waits
 * while all of them are out, which is what keeps an upload's memory bounded.
 */
final class PartBuffers {
    private final Semaphore available;
    private final Deque<byte[]> free = new ArrayDeque<>();
    private int held;
    private long heldBytes;
    private int peakHeld;
    private long peakHeldBytes;

    PartBuffers(int capacity) {
        this.available = new Semaphore(capacity);
    }

    /** A buffer of exactly {@code size} bytes, waiting until one is given back if all are out. */
    byte[] take(int size) throws InterruptedException {
        available.acquire();
        synchronized (this) {
            byte[] reused = free.poll();
            if (reused != null && reused.length == size) {
                return reused;
            }
            if (reused != null) {
                // Parts only grow: a smaller buffer will not be needed again.
                held--;
                heldBytes -= reused.length;
            }
            held++;
            heldBytes += size;
            peakHeld = Math.max(peakHeld, held);
            peakHeldBytes = Math.max(peakHeldBytes, heldBytes);
            return new byte[size];
        }
    }

    void give(byte[] buffer) {
        synchronized (this) {
            free.push(buffer);
        }
        available.release();
    }

    /** The most buffers that existed at once. */
    synchronized int peakHeld() {
        return peakHeld;
    }

    /** The most bytes of buffers that existed at once. */
    synchronized long peakHeldBytes() {
        return peakHeldBytes;
    }
}
