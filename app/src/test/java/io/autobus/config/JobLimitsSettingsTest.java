package io.autobus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time limits and per-add-on slots come from the environment, with defaults that bound every job. */
class JobLimitsSettingsTest {
    @TempDir
    Path home;

    @Test
    void without_settings_a_backup_may_run_6_hours_a_verification_12_an_addon_one_of_each_at_once_verified_in_flight() {
        assertThat(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString())).jobLimits())
                .isEqualTo(new Settings.JobLimits(Duration.ofHours(6), Duration.ofHours(12), 1, 1, Duration.ofSeconds(30)));
    }

    @Test
    void verification_in_flight_is_turned_off_or_given_its_wait() {
        assertThat(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_VERIFY_IN_FLIGHT", "off"))
                .jobLimits().verifyInFlight()).isFalse();
        assertThat(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_VERIFY_IN_FLIGHT", "10s"))
                .jobLimits().verifyInFlightWait()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void limits_are_written_as_seconds_minutes_or_hours() {
        var limits = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_BACKUP_TIMEOUT", "90s",
                "AUTOBUS_VERIFY_TIMEOUT", "30m", "AUTOBUS_ADDON_BACKUPS_AT_ONCE", "2", "AUTOBUS_ADDON_VERIFICATIONS_AT_ONCE", "3",
                "AUTOBUS_VERIFY_IN_FLIGHT", "on")).jobLimits();

        assertThat(limits).isEqualTo(new Settings.JobLimits(Duration.ofSeconds(90), Duration.ofMinutes(30), 2, 3, Duration.ofSeconds(30)));
    }

    @Test
    void a_limit_that_is_not_a_duration_stops_the_start_naming_the_variable() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_BACKUP_TIMEOUT", "6",
                "AUTOBUS_VERIFY_TIMEOUT", "0h")))
                .hasMessageContaining("AUTOBUS_BACKUP_TIMEOUT must be a duration such as 90s, 30m or 6h, got '6'")
                .hasMessageContaining("AUTOBUS_VERIFY_TIMEOUT must be a duration");
    }
}
