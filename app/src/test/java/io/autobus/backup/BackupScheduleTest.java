package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {
    private final BackupSchedule utc = new BackupSchedule(3, 17, ZoneId.of("UTC"), DayOfWeek.SUNDAY, false);

    @Test
    void the_run_on_the_weekly_day_is_weekly_and_other_days_are_daily() {
        assertThat(utc.kindOn(LocalDate.parse("2026-11-29"))).isEqualTo(SnapshotKind.WEEKLY); // a Sunday
        assertThat(utc.kindOn(LocalDate.parse("2026-11-30"))).isEqualTo(SnapshotKind.DAILY);
        assertThat(utc.kindOn(LocalDate.parse("2026-11-01"))).as("1st, monthly off, a Sunday").isEqualTo(SnapshotKind.WEEKLY);
        assertThat(utc.kindOn(LocalDate.parse("2026-12-01"))).as("1st, monthly off").isEqualTo(SnapshotKind.DAILY);
    }

    @Test
    void with_monthly_on_the_first_of_the_month_is_monthly_even_on_the_weekly_day() {
        var monthly = new BackupSchedule(3, 17, ZoneId.of("UTC"), DayOfWeek.SUNDAY, true);

        assertThat(monthly.kindOn(LocalDate.parse("2026-12-01"))).isEqualTo(SnapshotKind.MONTHLY);
        assertThat(monthly.kindOn(LocalDate.parse("2026-11-01"))).isEqualTo(SnapshotKind.MONTHLY);
        assertThat(monthly.kindOn(LocalDate.parse("2026-11-29"))).isEqualTo(SnapshotKind.WEEKLY);
    }

    @Test
    void the_next_run_is_today_if_its_time_has_not_come_else_tomorrow() {
        assertThat(utc.nextRunAfter(Instant.parse("2026-11-24T01:00:00Z"))).isEqualTo(Instant.parse("2026-11-24T03:17:00Z"));
        assertThat(utc.nextRunAfter(Instant.parse("2026-11-24T03:17:00Z"))).isEqualTo(Instant.parse("2026-11-25T03:17:00Z"));
    }

    @Test
    void the_hour_is_the_add_on_s_own_time_zone_across_daylight_saving_changes() {
        var newYork = new BackupSchedule(2, 30, ZoneId.of("America/New_York"), DayOfWeek.SUNDAY, false);

        assertThat(newYork.nextRunAfter(Instant.parse("2026-07-01T12:00:00Z"))).isEqualTo(Instant.parse("2026-07-02T06:30:00Z"));
        assertThat(newYork.nextRunAfter(Instant.parse("2026-12-01T12:00:00Z"))).isEqualTo(Instant.parse("2026-12-02T07:30:00Z"));
        assertThat(newYork.dateOf(Instant.parse("2026-12-02T07:30:00Z"))).isEqualTo(LocalDate.parse("2026-12-02"));
    }

    @Test
    void add_ons_are_spread_over_the_hour_and_each_keeps_its_minute() {
        var minutes = new java.util.HashSet<Integer>();
        for (int i = 0; i < 1000; i++) {
            UUID id = UUID.randomUUID();
            assertThat(BackupSchedule.defaultFor(id).minute()).isEqualTo(BackupSchedule.spreadMinute(id));
            minutes.add(BackupSchedule.spreadMinute(id));
        }
        assertThat(minutes).hasSizeGreaterThan(55);
    }

    @Test
    void impossible_hours_are_refused() {
        assertThatThrownBy(() -> new BackupSchedule(24, 0, ZoneId.of("UTC"), DayOfWeek.MONDAY, false))
                .hasMessageContaining("between 0 and 23");
    }
}
