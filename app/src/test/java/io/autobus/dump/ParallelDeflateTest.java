package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** Blocks compressed on several threads make one zlib stream that an ordinary inflater reads back whole. */
class ParallelDeflateTest {
    private final Executor pool = Executors.newFixedThreadPool(3);

    @Test
    void several_blocks_of_text_and_noise_inflate_as_one_zlib_stream_at_every_level() throws Exception {
        byte[] input = mixed(3 * ParallelDeflate.BLOCK_SIZE + 12345);
        for (int level = 1; level <= 9; level += 4) {
            byte[] compressed = compress(input, level, 7919);
            assertThat(inflate(compressed)).as("level " + level).isEqualTo(input);
            assertThat(compressed.length).as("text compresses").isLessThan(input.length * 3 / 4);
        }
    }

    @Test
    void one_compressor_makes_streams_one_after_another_each_whole_in_small_pieces() throws Exception {
        var deflate = new ParallelDeflate(pool, 1, 4);
        byte[][] inputs = {mixed(2 * ParallelDeflate.BLOCK_SIZE), new byte[0], noise(ParallelDeflate.BLOCK_SIZE + 3), mixed(10)};
        for (byte[] input : inputs) {
            var out = new ByteArrayOutputStream();
            var pieceSizes = new java.util.ArrayList<Integer>();
            java.util.function.Consumer<byte[]> sink = piece -> {
                pieceSizes.add(piece.length);
                out.writeBytes(piece);
            };
            deflate.write(input, 0, input.length, sink);
            deflate.finish(sink);
            assertThat(inflate(out.toByteArray())).as(input.length + " bytes").isEqualTo(input);
            // Larger arrays are G1 "humongous" objects in the service's small heap: each would start a collection.
            assertThat(pieceSizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(ParallelDeflate.PIECE_SIZE));
        }
    }

    @Test
    void empty_input_is_a_complete_empty_stream() throws Exception {
        assertThat(inflate(compress(new byte[0], 1, 100))).isEmpty();
    }

    @Test
    void the_header_names_the_level_class_and_passes_zlibs_check() {
        for (int level = 1; level <= 9; level++) {
            assertThat(((0x78 << 8) + ParallelDeflate.headerFlags(level)) % 31).isZero();
        }
        assertThat(ParallelDeflate.headerFlags(1)).isEqualTo(0x01);
        assertThat(ParallelDeflate.headerFlags(6)).isEqualTo(0x9c);
        assertThat(ParallelDeflate.headerFlags(9)).isEqualTo(0xda);
    }

    @Test
    void adler32_of_two_parts_combines_to_that_of_the_whole() {
        byte[] input = mixed(100_000);
        for (int cut : new int[] {0, 1, 65521, 70_000, 100_000}) {
            var first = new Adler32();
            first.update(input, 0, cut);
            var second = new Adler32();
            second.update(input, cut, input.length - cut);
            var whole = new Adler32();
            whole.update(input);
            assertThat(ParallelDeflate.combine(first.getValue(), second.getValue(), input.length - cut)).isEqualTo(whole.getValue());
        }
    }

    @Test
    void newlines_are_counted_eight_bytes_at_a_time_exactly_as_one_by_one() {
        var random = new Random(7);
        for (int length : new int[] {0, 1, 7, 8, 9, 63, 64, 1000}) {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) (random.nextInt(4) == 0 ? '\n' : random.nextInt(4) == 0 ? 0x8a : random.nextInt(256));
            }
            long expected = 0;
            for (byte b : bytes) {
                expected += b == '\n' ? 1 : 0;
            }
            assertThat(PgArchiveStream.newlines(bytes, 0, length)).as("length " + length).isEqualTo(expected);
        }
    }

    @Test
    void compression_that_cannot_run_fails_the_stream() {
        Executor failing = task -> {
            throw new java.util.concurrent.RejectedExecutionException("no thread left");
        };
        assertThatThrownBy(() -> compress(mixed(2 * ParallelDeflate.BLOCK_SIZE), 1, 4096, failing))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }

    private byte[] compress(byte[] input, int level, int pieceSize) throws IOException {
        return compress(input, level, pieceSize, pool);
    }

    private static byte[] compress(byte[] input, int level, int pieceSize, Executor pool) throws IOException {
        var deflate = new ParallelDeflate(pool, level, 4);
        var out = new ByteArrayOutputStream();
        for (int offset = 0; offset < input.length; offset += pieceSize) {
            deflate.write(input, offset, Math.min(pieceSize, input.length - offset), out::writeBytes);
        }
        deflate.finish(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] compressed) throws DataFormatException {
        var inflater = new Inflater(); // zlib wrapper: checks the header and the Adler-32 trailer
        inflater.setInput(compressed);
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            if (n == 0 && !inflater.finished() && inflater.needsInput()) {
                throw new IllegalStateException("the stream ended before its end");
            }
            out.write(buffer, 0, n);
        }
        assertThat(inflater.getRemaining()).as("nothing after the trailer").isZero();
        return out.toByteArray();
    }

    private static byte[] noise(int length) {
        byte[] bytes = new byte[length];
        new Random(3).nextBytes(bytes);
        return bytes;
    }

    /** Lines of text with runs of random bytes: both compressible and not. */
    private static byte[] mixed(int length) {
        var random = new Random(42);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (i / 5000) % 3 == 2 ? (byte) random.nextInt() : (byte) ("row\t" + (i % 977) + "\n").charAt(i % 6);
        }
        return bytes;
    }
}
