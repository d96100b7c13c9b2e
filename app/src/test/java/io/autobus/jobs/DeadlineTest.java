package io.autobus.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.dump.ToolPipeline;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run that outlives its limit has what it guarded stopped, and knows why afterwards. */
class DeadlineTest {

    @Test
    void a_tool_that_would_run_forever_is_killed_when_the_time_is_up() {
        long started = System.nanoTime();
        String failure;
        boolean expired;
        String message;
        try (var deadline = Deadline.start(Duration.ofSeconds(1), "AUTOBUS_TEST_TIMEOUT");
             var pipeline = ToolPipeline.start(List.of(new ProcessBuilder("sleep", "1000")), null)) {
            deadline.guard(pipeline::close);
            failure = pipeline.awaitFailure(); // blocks until the process is gone
            expired = deadline.expired();
            message = deadline.message();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failure).as("killed, so not a success").startsWith("sleep failed");
        assertThat(expired).isTrue();
        assertThat(message).isEqualTo("timed out after 1 s (AUTOBUS_TEST_TIMEOUT)");
        assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    @Test
    void a_run_that_ends_in_time_is_left_alone() throws Exception {
        var stopped = new java.util.concurrent.atomic.AtomicBoolean();
        try (var deadline = Deadline.start(Duration.ofMillis(200), "AUTOBUS_TEST_TIMEOUT")) {
            deadline.guard(() -> stopped.set(true));
        }
        Thread.sleep(400); // past the limit: nothing may fire after the deadline was closed

        assertThat(stopped).isFalse();
    }

    @Test
    void limits_read_as_people_write_them() {
        assertThat(Deadline.describe(Duration.ofHours(6))).isEqualTo("6 h");
        assertThat(Deadline.describe(Duration.ofMinutes(30))).isEqualTo("30 min");
        assertThat(Deadline.describe(Duration.ofMinutes(90))).isEqualTo("1 h 30 min");
        assertThat(Deadline.describe(Duration.ofSeconds(90))).isEqualTo("90 s");
    }

    @Test
    void a_busy_job_is_tried_again_soon_at_first_then_less_often() {
        assertThat(JobPostponer.delay(Duration.ZERO)).isEqualTo(Duration.ofSeconds(10));
        assertThat(JobPostponer.delay(Duration.ofMinutes(8))).isEqualTo(Duration.ofMinutes(2));
        assertThat(JobPostponer.delay(Duration.ofHours(6))).isEqualTo(Duration.ofMinutes(5));
    }
}
