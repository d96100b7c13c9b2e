package io.autobus.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RepeatedLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("RepeatedLogTest");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();
    private final RepeatedLog log = new RepeatedLog(logger, Duration.ofMinutes(10), now::get);

    RepeatedLogTest() {
        captured.start();
        logger.addAppender(captured);
    }

    @Test
    void the_first_event_of_a_kind_is_logged_and_the_next_ones_are_counted_into_one_line_per_window() {
        for (int i = 0; i < 30; i++) {
            log.warn("busy", "event=busy");
            now.addAndGet(Duration.ofSeconds(2).toNanos());
        }
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        log.warn("busy", "event=busy");

        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("event=busy occurrences=1", "event=busy occurrences=30");
    }

    @Test
    void kinds_are_counted_apart() {
        log.warn("a", "event=a");
        log.error("b", "event=b");
        log.warn("a", "event=a");

        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("event=a occurrences=1", "event=b occurrences=1");
    }
}
