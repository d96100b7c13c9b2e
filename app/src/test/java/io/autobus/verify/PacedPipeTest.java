package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The in-flight copy: in order through a bounded buffer, paced by the slower side, given up past the limit. */
class PacedPipeTest {

    @Test
    void a_megabyte_goes_through_a_4_kib_buffer_in_order_and_its_first_4_kib_are_readable_before_it() throws Exception {
        var pipe = new PacedPipe(4096, Duration.ofSeconds(30));
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        var received = CompletableFuture.supplyAsync(() -> {
            try (var in = pipe.reader()) {
                byte[] head = pipe.head();
                var out = new ByteArrayOutputStream();
                in.transferTo(out);
                return new byte[][] {head, out.toByteArray()};
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        for (int offset = 0; offset < data.length; offset += 3001) {
            assertThat(pipe.write(data, offset, Math.min(3001, data.length - offset))).isTrue();
        }
        pipe.end();

        assertThat(received.get()[1]).isEqualTo(data);
        assertThat(received.get()[0]).isEqualTo(java.util.Arrays.copyOf(data, 4096));
    }

    @Test
    void the_head_of_a_stream_shorter_than_the_buffer_is_the_whole_stream_and_is_gone_once_reading_begins() throws Exception {
        var pipe = new PacedPipe(4096, Duration.ofSeconds(30));
        byte[] data = new byte[1000];
        new Random(8).nextBytes(data);
        assertThat(pipe.write(data, 0, data.length)).isTrue();
        pipe.end();

        assertThat(pipe.head()).isEqualTo(data);
        assertThat(pipe.head()).as("read again, for a second look at the table of contents").isEqualTo(data);
        var reader = pipe.reader();
        assertThat(reader.read()).isEqualTo(data[0] & 0xff);
        assertThatThrownBy(pipe::head).isInstanceOf(IllegalStateException.class).hasMessageContaining("has begun reading");
        assertThat(reader.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1, data.length));
    }

    @Test
    void a_reader_that_falls_behind_past_the_limit_is_given_up_and_reads_why() throws Exception {
        var pipe = new PacedPipe(4096, Duration.ofMillis(300));
        var reader = pipe.reader();
        long started = System.nanoTime();

        assertThat(pipe.write(new byte[4096], 0, 4096)).as("fits").isTrue();
        assertThat(pipe.write(new byte[1], 0, 1)).as("no room for longer than the limit").isFalse();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
        assertThat(pipe.abandoned()).startsWith("the restore fell behind the dump (no room in its 4 KiB buffer");
        assertThatThrownBy(() -> reader.read(new byte[10])).isInstanceOf(IOException.class).hasMessageContaining("fell behind");
        assertThat(pipe.write(new byte[1], 0, 1)).as("once given up, the writer never waits again").isFalse();
    }

    @Test
    void once_the_reader_has_stopped_the_writer_goes_on_alone_without_waiting() throws IOException {
        var pipe = new PacedPipe(1024, Duration.ofSeconds(30));
        pipe.reader().close();
        long started = System.nanoTime();

        assertThat(pipe.write(new byte[4096], 0, 4096)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
}
