package io.autobus.dump;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.zip.Adler32;
import java.util.zip.Deflater;

/**
 * One zlib stream (RFC 1950) compressed on several threads at once, the way pigz does it: the
 * input is cut into blocks; each is compressed as raw deflate primed with the previous block's
 * last 32 KiB as dictionary and ended with a sync flush (the last one with finish), so that the
 * blocks concatenate into one deflate stream that any inflater reads; the zlib header and the
 * Adler-32 of the whole input go around it. Bounded: at most {@code maxInFlight} blocks are held
 * (being compressed or waiting their turn), whatever the input's size.
 */
final class ParallelDeflate {
    static final int BLOCK_SIZE = 1 << 20;
    private static final int DICTIONARY_SIZE = 32 * 1024;
    /** One raw deflater per thread and level, reset for each block (deflateInit costs more than a small block). */
    private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);

    private final Executor pool;
    private final int level;
    private final int maxInFlight;
    private final Deque<CompletableFuture<Block>> inFlight = new ArrayDeque<>();
    private byte[] block = new byte[BLOCK_SIZE];
    private int filled;
    private byte[] dictionary;
    private long adler = 1;
    private boolean headerSent;

    /** A compressed block: its deflate bytes, and the Adler-32 and length of its input. */
    private record Block(byte[] deflated, int length, long adler, int inputLength) {
    }

    ParallelDeflate(Executor pool, int level, int maxInFlight) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("zlib level 1-9, got " + level);
        }
        this.pool = pool;
        this.level = level;
        this.maxInFlight = Math.max(1, maxInFlight);
    }

    /** Adds input; hands {@code out} the compressed pieces that are ready, in order (possibly none). */
    void write(byte[] bytes, int offset, int length, Consumer<byte[]> out) throws IOException {
        while (length > 0) {
            int take = Math.min(length, block.length - filled);
            System.arraycopy(bytes, offset, block, filled, take);
            filled += take;
            offset += take;
            length -= take;
            if (filled == block.length) {
                submit(false, out);
            }
        }
        emitDone(out, false);
    }

    /** Compresses what is left, ends the stream and hands {@code out} every remaining piece, the trailer last. */
    void finish(Consumer<byte[]> out) throws IOException {
        submit(true, out);
        emitDone(out, true);
        byte[] trailer = {(byte) (adler >>> 24), (byte) (adler >>> 16), (byte) (adler >>> 8), (byte) adler};
        out.accept(trailer);
    }

    /** Stops waiting for blocks (a failed dump); their threads finish their one block and drop it. */
    void abort() {
        inFlight.forEach(future -> future.cancel(true));
        inFlight.clear();
    }

    private void submit(boolean last, Consumer<byte[]> out) throws IOException {
        if (inFlight.size() >= maxInFlight) {
            emit(take(), out);
        }
        byte[] input = block;
        int length = filled;
        byte[] primer = dictionary;
        if (!last) {
            dictionary = Arrays.copyOfRange(input, length - DICTIONARY_SIZE, length);
            block = new byte[BLOCK_SIZE];
            filled = 0;
        }
        inFlight.add(CompletableFuture.supplyAsync(() -> compress(input, length, primer, last), pool));
    }

    private Block compress(byte[] input, int length, byte[] primer, boolean last) {
        Deflater[] byLevel = DEFLATERS.get();
        if (byLevel[level] == null) {
            byLevel[level] = new Deflater(level, true);
        }
        Deflater deflater = byLevel[level];
        deflater.reset();
        if (primer != null) {
            deflater.setDictionary(primer);
        }
        deflater.setInput(input, 0, length);
        if (last) {
            deflater.finish();
        }
        byte[] deflated = new byte[length / 2 + 1024];
        int n = 0;
        while (true) {
            int space = deflated.length - n;
            int written = deflater.deflate(deflated, n, space, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            n += written;
            if (last ? deflater.finished() : written < space && deflater.needsInput()) {
                break;
            }
            if (n == deflated.length) {
                deflated = Arrays.copyOf(deflated, deflated.length * 2);
            }
        }
        var checksum = new Adler32();
        checksum.update(input, 0, length);
        return new Block(deflated, n, checksum.getValue(), length);
    }

    private void emitDone(Consumer<byte[]> out, boolean all) throws IOException {
        while (!inFlight.isEmpty() && (all || inFlight.peekFirst().isDone())) {
            emit(take(), out);
        }
    }

    private Block take() throws IOException {
        try {
            return inFlight.removeFirst().get();
        } catch (ExecutionException e) {
            abort();
            throw new IOException("compression failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            abort();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing", e);
        }
    }

    private void emit(Block done, Consumer<byte[]> out) {
        adler = combine(adler, done.adler(), done.inputLength());
        if (!headerSent) {
            headerSent = true;
            byte[] piece = new byte[2 + done.length()];
            piece[0] = 0x78;
            piece[1] = (byte) headerFlags(level);
            System.arraycopy(done.deflated(), 0, piece, 2, done.length());
            out.accept(piece);
        } else if (done.length() > 0) {
            out.accept(Arrays.copyOf(done.deflated(), done.length()));
        }
    }

    /** The zlib header's second byte: the level class (RFC 1950 FLEVEL), with FCHECK making 0x78xx a multiple of 31. */
    static int headerFlags(int level) {
        int head = (0x78 << 8) + ((level == 1 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3) << 6); // as zlib's deflate.c
        head += 31 - head % 31;
        return head & 0xff;
    }

    /** The Adler-32 of two inputs one after the other, from each one's (zlib's adler32_combine). */
    static long combine(long adler1, long adler2, long length2) {
        final long base = 65521;
        long remainder = length2 % base;
        long sum1 = adler1 & 0xffff;
        long sum2 = remainder * sum1 % base;
        sum1 += (adler2 & 0xffff) + base - 1;
        sum2 += (adler1 >>> 16 & 0xffff) + (adler2 >>> 16 & 0xffff) + base - remainder;
        if (sum1 >= base) {
            sum1 -= base;
        }
        if (sum1 >= base) {
            sum1 -= base;
        }
        if (sum2 >= base << 1) {
            sum2 -= base << 1;
        }
        if (sum2 >= base) {
            sum2 -= base;
        }
        return sum1 | sum2 << 16;
    }
}
