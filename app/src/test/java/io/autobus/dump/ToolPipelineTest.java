package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing pipeline names the tool that failed for its own reason, with that tool's words; a
 * tap between two tools sees every byte, and when it fails, nothing of the pipeline keeps running.
 */
class ToolPipelineTest {
    @TempDir
    Path dir;

    @Test
    void a_stage_killed_by_a_broken_pipe_is_not_blamed_for_the_later_stage_that_stopped_reading() throws Exception {
        // yes writes forever; the second stage reads a line, complains and exits: yes then dies of SIGPIPE.
        var failure = run(List.of("yes"), List.of("sh", "-c", "read line; echo 'ERROR 1064: the real cause' >&2; exit 1"));

        assertThat(failure).startsWith("sh failed (exit 1)").contains("ERROR 1064: the real cause");
    }

    @Test
    void when_an_earlier_stage_fails_for_its_own_reason_it_is_the_one_named() throws Exception {
        var failure = run(List.of("sh", "-c", "echo 'gzip: stdin: unexpected end of file' >&2; exit 1"),
                List.of("sh", "-c", "cat >/dev/null; echo 'ERROR 1064 at line 9' >&2; exit 1"));

        assertThat(failure).startsWith("sh failed (exit 1)").contains("unexpected end of file").doesNotContain("1064");
    }

    @Test
    void a_tap_sees_every_byte_between_two_tools_and_the_next_tool_gets_them_all() throws Exception {
        var tap = new Tap(Long.MAX_VALUE);

        byte[] passed;
        try (var pipeline = ToolPipeline.start(List.of(new ProcessBuilder("seq", "1", "200000")), tap,
                List.of(new ProcessBuilder("gzip", "-c")), null)) {
            passed = new GZIPInputStream(pipeline.output()).readAllBytes();
        }

        assertThat(passed).hasSize(1_288_895).endsWith("199999\n200000\n".getBytes());
        assertThat(tap.bytes).isEqualTo(passed.length);
        assertThat(tap.ended).isTrue();
    }

    @Test
    void a_tap_that_throws_fails_the_read_with_its_words_and_leaves_no_tool_nor_thread_running() throws Exception {
        var tap = new Tap(1_000_000);
        Throwable failure;
        try (var pipeline = ToolPipeline.start(List.of(recordingPid("writer", "yes")), tap,
                List.of(recordingPid("compressor", "gzip -c")), null)) {
            failure = catchThrowable(() -> pipeline.output().transferTo(java.io.OutputStream.nullOutputStream()));

            assertThat(failure).isInstanceOf(IOException.class)
                    .hasMessageContaining("Tap between sh and sh failed, so every tool was stopped")
                    .hasMessageContaining("the counter broke at byte");
            assertThat(alive("writer")).isFalse();
            assertThat(alive("compressor")).isFalse();
            assertThat(tap.thread.isAlive()).isFalse();
        }
    }

    @Test
    void a_tool_before_the_tap_that_fails_is_the_one_named() {
        var tap = new Tap(Long.MAX_VALUE);
        try (var pipeline = ToolPipeline.start(List.of(new ProcessBuilder("sh", "-c", "echo 'Got error: 1045: Access denied' >&2; exit 2")),
                tap, List.of(new ProcessBuilder("gzip", "-c")), null)) {

            var failure = catchThrowable(() -> pipeline.output().readAllBytes());

            assertThat(failure).hasMessageStartingWith("sh failed (exit 2)").hasMessageContaining("Access denied");
        }
    }

    @Test
    void closing_midway_stops_every_tool_and_the_tap() throws Exception {
        var tap = new Tap(Long.MAX_VALUE);
        var pipeline = ToolPipeline.start(List.of(recordingPid("writer", "yes")), tap, List.of(recordingPid("reader", "cat")), null);
        pipeline.output().readNBytes(10_000);

        pipeline.close();

        assertThat(alive("writer")).isFalse();
        assertThat(alive("reader")).isFalse();
        assertThat(tap.thread.isAlive()).isFalse();
    }

    /** Counts what it sees; throws past {@code failAfter} bytes. */
    private static final class Tap implements ToolPipeline.Tap {
        private final long failAfter;
        volatile long bytes;
        volatile boolean ended;
        volatile Thread thread;

        Tap(long failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public void pass(byte[] buffer, int offset, int length) {
            thread = Thread.currentThread();
            bytes += length;
            if (bytes > failAfter) {
                throw new IllegalStateException("the counter broke at byte " + bytes);
            }
        }

        @Override
        public void end() {
            ended = true;
        }
    }

    /** {@code command} run by sh, which first writes its pid (the command's, after exec) under {@code name}. */
    private ProcessBuilder recordingPid(String name, String command) {
        return new ProcessBuilder("sh", "-c", "echo $$ > '" + dir.resolve(name) + "'; exec " + command);
    }

    private boolean alive(String name) throws IOException {
        long pid = Long.parseLong(Files.readString(dir.resolve(name)).strip());
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String run(List<String> first, List<String> second) {
        try (var pipeline = ToolPipeline.start(List.of(new ProcessBuilder(first), new ProcessBuilder(second)), null)) {
            pipeline.stdin().close();
            return pipeline.awaitFailure();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
