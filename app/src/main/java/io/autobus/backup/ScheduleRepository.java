package io.autobus.backup;

import static io.autobus.db.generated.Tables.ADDON;

import io.autobus.db.generated.tables.records.AddonRecord;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.UpdateSetMoreStep;

/** Each add-on's backup schedule and its next run, kept on the add-on's row. */
public final class ScheduleRepository {
    private final DSLContext dsl;

    public ScheduleRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Optional<BackupSchedule> schedule(UUID addonId) {
        return dsl.select(ADDON.BACKUP_HOUR, ADDON.BACKUP_MINUTE, ADDON.BACKUP_TIME_ZONE, ADDON.WEEKLY_DAY, ADDON.MONTHLY_ENABLED)
                .from(ADDON).where(ADDON.ID.eq(addonId))
                .fetchOptional(r -> new BackupSchedule(r.value1(), r.value2(), ZoneId.of(r.value3()),
                        DayOfWeek.of(r.value4()), r.value5()));
    }

    /** Saves the schedule and the next run it gives. */
    public void save(UUID addonId, BackupSchedule schedule, Instant nextRun) {
        saving(schedule, nextRun).where(ADDON.ID.eq(addonId)).execute();
    }

    /**
     * Gives an add-on that has no next run yet its schedule; returns false when it already has one (a schedule the
     * customer saved meanwhile in another process wins over the default).
     */
    public boolean saveIfUnscheduled(UUID addonId, BackupSchedule schedule, Instant nextRun) {
        return saving(schedule, nextRun).where(ADDON.ID.eq(addonId), ADDON.NEXT_BACKUP_AT.isNull()).execute() == 1;
    }

    private UpdateSetMoreStep<AddonRecord> saving(BackupSchedule schedule, Instant nextRun) {
        return dsl.update(ADDON)
                .set(ADDON.BACKUP_HOUR, schedule.hour())
                .set(ADDON.BACKUP_MINUTE, schedule.minute())
                .set(ADDON.BACKUP_TIME_ZONE, schedule.zone().getId())
                .set(ADDON.WEEKLY_DAY, schedule.weeklyDay().getValue())
                .set(ADDON.MONTHLY_ENABLED, schedule.monthlyEnabled())
                .set(ADDON.NEXT_BACKUP_AT, nextRun.atOffset(ZoneOffset.UTC));
    }

    /** An add-on whose run is due, and the run time that identifies it. */
    public record DueRun(UUID addonId, Instant runAt) {
    }

    public List<DueRun> due(Instant now, int limit) {
        return dsl.select(ADDON.ID, ADDON.NEXT_BACKUP_AT).from(ADDON)
                .where(ADDON.NEXT_BACKUP_AT.le(now.atOffset(ZoneOffset.UTC)))
                .orderBy(ADDON.NEXT_BACKUP_AT)
                .limit(limit)
                .fetch(r -> new DueRun(r.value1(), r.value2().toInstant()));
    }

    /** Add-ons that have no next run yet (just provisioned, or from before schedules existed). */
    public List<UUID> unscheduled(int limit) {
        return dsl.select(ADDON.ID).from(ADDON).where(ADDON.NEXT_BACKUP_AT.isNull()).limit(limit).fetch(ADDON.ID);
    }

    /** Moves the next run on, only if no one else already did (several dispatchers may run). */
    public boolean advance(UUID addonId, Instant from, Instant to) {
        return dsl.update(ADDON)
                .set(ADDON.NEXT_BACKUP_AT, to.atOffset(ZoneOffset.UTC))
                .where(ADDON.ID.eq(addonId), ADDON.NEXT_BACKUP_AT.eq(from.atOffset(ZoneOffset.UTC)))
                .execute() == 1;
    }
}
