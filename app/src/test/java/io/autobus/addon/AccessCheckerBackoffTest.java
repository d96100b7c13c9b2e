package io.autobus.addon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Waiting add-ons are checked often at first and rarely later, so thousands of them stay within Heroku's rate limit. */
class AccessCheckerBackoffTest {
    private final Instant provisioned = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void a_new_addon_is_checked_again_after_ten_minutes() {
        assertThat(AccessChecker.waitBeforeNextCheck(addon(), provisioned.plus(Duration.ofMinutes(5)))).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void an_addon_waiting_for_a_day_is_checked_every_six_hours() {
        assertThat(AccessChecker.waitBeforeNextCheck(addon(), provisioned.plus(Duration.ofDays(1)))).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void an_addon_waiting_for_weeks_is_still_checked_twice_a_day() {
        assertThat(AccessChecker.waitBeforeNextCheck(addon(), provisioned.plus(Duration.ofDays(30)))).isEqualTo(Duration.ofHours(12));
    }

    private Addon addon() {
        return new Addon(UUID.randomUUID(), "autobus-x", Plan.FREE, "us", null, null, null,
                AccessState.WAITING_FOR_ACCESS, null, null, provisioned, provisioned);
    }
}
