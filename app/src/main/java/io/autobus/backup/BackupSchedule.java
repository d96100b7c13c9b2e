package io.autobus.backup;

import io.autobus.addon.Plan;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * When an add-on's databases are backed up: once a day at hour:minute in its time zone. The run
 * on {@code weeklyDay} is kept as Weekly, the run on the 1st as Monthly when that is enabled,
 * the others as Daily: one dump a day, never three.
 */
public record BackupSchedule(int hour, int minute, ZoneId zone, DayOfWeek weeklyDay, boolean monthlyEnabled) {

    /** 03:00 UTC, a low-load hour for most apps; weekly on Sunday; no monthly (the seed's default). */
    public static BackupSchedule defaultFor(UUID addonId) {
        return new BackupSchedule(3, spreadMinute(addonId), ZoneId.of("UTC"), DayOfWeek.SUNDAY, false);
    }

    public BackupSchedule {
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("the backup hour must be between 0 and 23");
        }
        if (minute < 0 || minute > 59) {
            throw new IllegalArgumentException("the backup minute must be between 0 and 59");
        }
    }

    /** A minute of the hour that is the same for an add-on on every run, and differs between add-ons. */
    public static int spreadMinute(UUID addonId) {
        return Math.floorMod(addonId.hashCode(), 60);
    }

    /** The first run strictly after {@code after}. */
    public Instant nextRunAfter(Instant after) {
        ZonedDateTime local = after.atZone(zone);
        ZonedDateTime run = local.toLocalDate().atTime(hour, minute).atZone(zone);
        while (!run.toInstant().isAfter(after)) {
            run = run.toLocalDate().plusDays(1).atTime(hour, minute).atZone(zone);
        }
        return run.toInstant();
    }

    /** This schedule as {@code plan} allows it: no monthly snapshots on a plan without them (say, after a downgrade). */
    public BackupSchedule on(Plan plan) {
        return monthlyEnabled && !plan.monthlySnapshots() ? new BackupSchedule(hour, minute, zone, weeklyDay, false) : this;
    }

    /** The kind a run on {@code date} (in the add-on's zone) is kept as. */
    public SnapshotKind kindOn(LocalDate date) {
        if (monthlyEnabled && date.getDayOfMonth() == 1) {
            return SnapshotKind.MONTHLY;
        }
        return date.getDayOfWeek() == weeklyDay ? SnapshotKind.WEEKLY : SnapshotKind.DAILY;
    }

    /** The day a run at {@code runAt} belongs to. */
    public LocalDate dateOf(Instant runAt) {
        return runAt.atZone(zone).toLocalDate();
    }
}
