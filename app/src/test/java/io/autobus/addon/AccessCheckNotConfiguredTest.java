package io.autobus.addon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.autobus.support.HerokuPartner;
import io.autobus.support.TestApp;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An installation without Heroku credentials (development) says so once at start, not at every access check. */
class AccessCheckNotConfiguredTest {
    private static final TestApp APP = TestApp.withEnvironment(Map.of("HEROKU_OAUTH_SECRET", "", "HEROKU_API_KEY", ""));

    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessChecker.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @AfterEach
    void stopCapturing() {
        logger.detachAppender(captured);
    }

    @Test
    void checking_again_and_again_logs_nothing_about_heroku_not_being_configured() {
        UUID addonId = UUID.randomUUID();
        HerokuPartner.of(APP).provision(addonId, "free", "grant-" + addonId);
        captured.start();
        logger.addAppender(captured);

        for (int round = 0; round < 3; round++) {
            APP.app.accessChecker().check(addonId);
        }

        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains("not_configured"))
                .noneMatch(line -> line.contains("app_lookup_failed"));
        assertThat(new AddonRepository(APP.db).find(addonId).orElseThrow().accessMessage()).as("the customer still reads why")
                .contains("HEROKU_OAUTH_SECRET is not set");
    }
}
