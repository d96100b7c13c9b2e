package io.autobus.dump;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.zip.Adler32;
import java.util.zip.Deflater;

/**
 * zlib streams (RFC 1950) compressed on several threads at once, the way pigz does it: the
 * input is cut into blocks; each is compressed as raw deflate primed with the previous block's
 * last 32 KiB as dictionary and ended with a sync flush (the last one with finish), so that the
 * blocks concatenate into one deflate stream that any inflater reads; the zlib header and the
 * Adler-32 of the whole input go around it. One stream at a time, one after the other (a dump's
 * entries). Bounded: at most {@code maxInFlight} blocks are being compressed or wait their turn,
 * whatever the input's size.
 *
 * <p>Garbage matters as much as the arithmetic: the service runs in a small heap, where a 1 MiB
 * array is a G1 "humongous" object and every one allocated starts a collection. So the blocks are
 * reused for the next ones (and the next streams), each thread deflates into its own buffer, and
 * what leaves is cut into pieces of at most {@link #PIECE_SIZE}.
 */
final class ParallelDeflate {
    static final int BLOCK_SIZE = 1 << 20;
    static final int PIECE_SIZE = 128 * 1024;
    private static final int DICTIONARY_SIZE = 32 * 1024;
    /** One raw deflater per thread and level, reset for each block (deflateInit costs more than a small block). */
    private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);
    /** Each thread's deflate output: room for a block that does not compress (zlib's deflateBound, rounded up). */
    private static final ThreadLocal<byte[]> OUTPUT = ThreadLocal.withInitial(() -> new byte[BLOCK_SIZE + BLOCK_SIZE / 64 + 1024]);

    private final Executor pool;
    private final int level;
    private final int maxInFlight;
    private final Deque<CompletableFuture<Block>> inFlight = new ArrayDeque<>();
    private final Deque<byte[]> spareBlocks = new ArrayDeque<>();
    private byte[] block;
    private int filled;
    private byte[] dictionary;
    private long adler = 1;

    /** A compressed block: its deflate bytes in pieces, the Adler-32 and length of its input, and the input's array to reuse. */
    private record Block(List<byte[]> pieces, long adler, int inputLength, byte[] input) {
    }

    ParallelDeflate(Executor pool, int level, int maxInFlight) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("zlib level 1-9, got " + level);
        }
        this.pool = pool;
        this.level = level;
        this.maxInFlight = Math.max(1, maxInFlight);
    }

    /** Adds input to the current stream; hands {@code out} the compressed pieces that are ready, in order (possibly none). */
    void write(byte[] bytes, int offset, int length, Consumer<byte[]> out) throws IOException {
        while (length > 0) {
            if (block == null) {
                block = spareBlocks.isEmpty() ? new byte[BLOCK_SIZE] : spareBlocks.removeFirst();
            }
            int take = Math.min(length, BLOCK_SIZE - filled);
            System.arraycopy(bytes, offset, block, filled, take);
            filled += take;
            offset += take;
            length -= take;
            if (filled == BLOCK_SIZE) {
                submit(false, out);
            }
        }
        emitDone(out, false);
    }

    /**
     * Compresses what is left, ends the stream and hands {@code out} every remaining piece, the trailer last; the next
     * write begins a new stream.
     */
    void finish(Consumer<byte[]> out) throws IOException {
        if (block == null) {
            block = spareBlocks.isEmpty() ? new byte[0] : spareBlocks.removeFirst(); // an empty stream: no block needed
        }
        submit(true, out);
        emitDone(out, true);
        out.accept(new byte[] {(byte) (adler >>> 24), (byte) (adler >>> 16), (byte) (adler >>> 8), (byte) adler});
        dictionary = null;
        adler = 1;
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
        dictionary = last ? null : Arrays.copyOfRange(input, length - DICTIONARY_SIZE, length);
        block = null;
        filled = 0;
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
        byte[] deflated = OUTPUT.get();
        int n = 0;
        if (primer == null) { // the stream's first block: the zlib header goes first
            deflated[n++] = 0x78;
            deflated[n++] = (byte) headerFlags(level);
        }
        while (true) {
            int space = deflated.length - n;
            int written = deflater.deflate(deflated, n, space, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            n += written;
            if (last ? deflater.finished() : written < space && deflater.needsInput()) {
                break;
            }
            if (n == deflated.length) {
                deflated = Arrays.copyOf(deflated, deflated.length * 2);
                OUTPUT.set(deflated);
            }
        }
        var pieces = new ArrayList<byte[]>(n / PIECE_SIZE + 1);
        for (int from = 0; from < n; from += PIECE_SIZE) {
            pieces.add(Arrays.copyOfRange(deflated, from, Math.min(n, from + PIECE_SIZE)));
        }
        var checksum = new Adler32();
        checksum.update(input, 0, length);
        return new Block(pieces, checksum.getValue(), length, input);
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
        if (done.input().length == BLOCK_SIZE) {
            spareBlocks.addLast(done.input());
        }
        done.pieces().forEach(out);
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
