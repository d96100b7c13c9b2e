package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A failing pipeline names the tool that failed for its own reason, with that tool's words. */
class ToolPipelineTest {

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

    private static String run(List<String> first, List<String> second) {
        try (var pipeline = ToolPipeline.start(List.of(new ProcessBuilder(first), new ProcessBuilder(second)), null)) {
            pipeline.stdin().close();
            return pipeline.awaitFailure();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
