package io.autobus.backup;

import io.autobus.dump.DatabaseUrl;
import static io.autobus.db.generated.Tables.ADDON;

import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.dump.DumpOptions;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.jooq.DSLContext;

/** What a customer may change about their backups: the schedule, and each database's dump options. */
public final class BackupSettings {
    private final AddonRepository addons;
    private final ScheduleRepository schedules;
    private final DSLContext dsl;
    private final Clock clock;
    private final ExcludedDataCheck excludedData;

    public BackupSettings(AddonRepository addons, ScheduleRepository schedules, DSLContext dsl, Clock clock,
                          ExcludedDataCheck excludedData) {
        this.addons = addons;
        this.schedules = schedules;
        this.dsl = dsl;
        this.clock = clock;
        this.excludedData = excludedData;
    }

    /**
     * Changes the schedule and one database's excluded tables in one transaction: all of it, or
     * nothing when any part is refused.
     *
     * @param excludeTables null to leave the database's dump options as they are
     * @throws IllegalArgumentException with a message for the customer
     */
    public void change(UUID addonId, ScheduleChange schedule, String configVar, List<String> excludeTables) {
        // Checked before the transaction: the check reads the customer's database, which may take seconds.
        DumpOptions changed = null;
        if (excludeTables != null) {
            DumpOptions options = dumpOptions(addonId, configVar);
            changed = new DumpOptions(excludeTables, options.excludeTableData(), options.schemas(), options.excludeSchemas(),
                    options.noOwner(), options.noAcl(), options.compressionLevel());
            checked(addonId, configVar, changed);
        }
        DumpOptions newOptions = changed;
        dsl.transaction(tx -> {
            var inTransaction = new BackupSettings(new AddonRepository(tx.dsl()), new ScheduleRepository(tx.dsl()), tx.dsl(), clock,
                    excludedData);
            if (!schedule.isEmpty()) {
                BackupSchedule current = inTransaction.schedule(addonId);
                inTransaction.changeSchedule(addonId, Objects.requireNonNullElse(schedule.hour(), current.hour()),
                        Objects.requireNonNullElse(schedule.zone(), current.zone().getId()),
                        Objects.requireNonNullElse(schedule.weeklyDay(), current.weeklyDay().name()),
                        Objects.requireNonNullElse(schedule.monthly(), current.monthlyEnabled()));
            }
            if (newOptions != null) {
                inTransaction.addons.setDumpOptions(addonId, configVar, newOptions.toJson());
            }
        });
    }

    /** The add-on's schedule (the default until it is first dispatched or changed), as its plan allows it. */
    public BackupSchedule schedule(UUID addonId) {
        BackupSchedule schedule = schedules.schedule(addonId).orElse(BackupSchedule.defaultFor(addonId));
        return addons.find(addonId).map(addon -> schedule.on(addon.plan())).orElse(schedule);
    }

    /**
     * @param weeklyDay e.g. {@code sunday}
     * @throws IllegalArgumentException with a message for the customer
     */
    public BackupSchedule changeSchedule(UUID addonId, int hour, String zone, String weeklyDay, boolean monthly) {
        Addon addon = addons.find(addonId).orElseThrow(() -> new IllegalArgumentException("No such add-on."));
        if (monthly && !addon.plan().monthlySnapshots()) {
            throw new IllegalArgumentException("Monthly snapshots are not part of the " + addon.plan().slug()
                    + " plan; upgrade with: heroku addons:upgrade autobus:travel");
        }
        ZoneId zoneId;
        DayOfWeek day;
        try {
            zoneId = ZoneId.of(zone == null || zone.isBlank() ? "UTC" : zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + zone + "' is not a time zone (try UTC, Europe/Berlin, America/New_York).");
        }
        try {
            day = DayOfWeek.valueOf(weeklyDay == null ? "SUNDAY" : weeklyDay.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + weeklyDay + "' is not a day of the week.");
        }
        var schedule = new BackupSchedule(hour, BackupSchedule.spreadMinute(addonId), zoneId, day, monthly);
        schedules.save(addonId, schedule, schedule.nextRunAfter(clock.instant()));
        return schedule;
    }

    /** The database's dump options, as stored. */
    /** "Snapshot after each successful release" (off by default). */
    public boolean snapshotAfterRelease(UUID addonId) {
        return dsl.select(ADDON.SNAPSHOT_AFTER_RELEASE).from(ADDON).where(ADDON.ID.eq(addonId)).fetchOptional(r -> r.value1()).orElse(false);
    }

    public void setSnapshotAfterRelease(UUID addonId, boolean on) {
        dsl.update(ADDON).set(ADDON.SNAPSHOT_AFTER_RELEASE, on).where(ADDON.ID.eq(addonId)).execute();
    }

    public DumpOptions dumpOptions(UUID addonId, String configVar) {
        return addons.databaseEntry(addonId, configVar).map(entry -> DumpOptions.fromJson(entry.dumpOptions()))
                .orElseThrow(() -> new IllegalArgumentException("No database " + configVar + "."));
    }

    /**
     * @throws IllegalArgumentException for an unknown database, options its engine does not take, or options that
     *                                  leave out rows other tables' foreign keys need ({@link ExcludedDataCheck})
     */
    public void changeDumpOptions(UUID addonId, String configVar, DumpOptions options) {
        addons.setDumpOptions(addonId, configVar, checked(addonId, configVar, options).toJson());
    }

    private DumpOptions checked(UUID addonId, String configVar, DumpOptions options) {
        var entry = addons.databaseEntry(addonId, configVar)
                .orElseThrow(() -> new IllegalArgumentException("No database " + configVar + "."));
        if (!DatabaseUrl.Engine.isPostgres(entry.database().engine())) {
            options.checkForMysql();
        }
        excludedData.check(addonId, configVar, options);
        return options;
    }
}
