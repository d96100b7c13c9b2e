package io.autobus.storage;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The part buffers of one upload, borrowed from the process's {@link UploadMemory}: at most
 * {@code capacity} at once (uploading, and the one filling), each given back as soon as its part
 * is stored. {@link #take} waits while all of them are out, or while the process's budget is lent.
 */
final class PartBuffers {
    private final Semaphore available;
    private final UploadMemory memory;
    private final Set<byte[]> out = Collections.newSetFromMap(new IdentityHashMap<>());
    private int held;
    private long heldBytes;
    private int peakHeld;
    private long peakHeldBytes;

    PartBuffers(int capacity, UploadMemory memory) {
        this.available = new Semaphore(capacity);
        this.memory = memory;
    }

    /** A buffer of exactly {@code size} bytes. */
    byte[] take(int size) throws InterruptedException {
        available.acquire();
        byte[] buffer;
        try {
            buffer = memory.borrow(size);
        } catch (InterruptedException | RuntimeException e) {
            available.release();
            throw e;
        }
        synchronized (this) {
            out.add(buffer);
            held++;
            heldBytes += size;
            peakHeld = Math.max(peakHeld, held);
            peakHeldBytes = Math.max(peakHeldBytes, heldBytes);
        }
        return buffer;
    }

    void give(byte[] buffer) {
        synchronized (this) {
            if (!out.remove(buffer)) {
                return; // released with the upload already
            }
            held--;
            heldBytes -= buffer.length;
        }
        memory.giveBack(buffer);
        available.release();
    }

    /**
     * When the upload ends, however it ends: what it still holds (the part that was filling when the
     * dump failed, parts whose upload never started) goes back to the budget, and is not reused, in
     * case a part's request is still reading it.
     */
    void releaseAll() {
        byte[][] left;
        synchronized (this) {
            left = out.toArray(new byte[0][]);
            out.clear();
            held = 0;
            heldBytes = 0;
        }
        for (byte[] buffer : left) {
            memory.forget(buffer);
        }
    }

    /** The most buffers this upload held at once. */
    synchronized int peakHeld() {
        return peakHeld;
    }

    /** The most bytes of buffers this upload held at once. */
    synchronized long peakHeldBytes() {
        return peakHeldBytes;
    }
}
