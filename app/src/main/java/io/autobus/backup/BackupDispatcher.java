package io.autobus.backup;

import io.autobus.addon.AddonRepository;
import io.autobus.addon.AccessState;
import io.autobus.addon.Addon;
import io.autobus.addon.FoundDatabase;
import io.autobus.addon.PlanCoverage;
import io.autobus.notify.Notifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues the scheduled backups that are due. Schedules live in our table, not as one JobRunr
 * recurring job per add-on, so 10,000 add-ons cost one query per round. A day's run of a
 * database is one snapshot row (unique per day) and one job with an id made of add-on,
 * database and day, so concurrent dispatchers and repeated rounds never enqueue it twice.
 * Databases beyond the add-on's plan are not backed up, and the owner is told so once.
 */
public final class BackupDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(BackupDispatcher.class);
    private static final int BATCH = 500;

    private final ScheduleRepository schedules;
    private final AddonRepository addons;
    private final SnapshotRepository snapshots;
    private final JobRequestScheduler jobs;
    private final Notifier notifier;
    private final Clock clock;

    public BackupDispatcher(ScheduleRepository schedules, AddonRepository addons, SnapshotRepository snapshots,
                            JobRequestScheduler jobs, Notifier notifier, Clock clock) {
        this.schedules = schedules;
        this.addons = addons;
        this.snapshots = snapshots;
        this.jobs = jobs;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** One round; returns how many backups it enqueued. */
    public int dispatch() {
        Instant now = clock.instant();
        // New add-ons get their default schedule here, all of them in this round (in batches).
        for (var batch = schedules.unscheduled(BATCH); !batch.isEmpty(); batch = schedules.unscheduled(BATCH)) {
            for (UUID addonId : batch) {
                var schedule = BackupSchedule.defaultFor(addonId);
                schedules.saveIfUnscheduled(addonId, schedule, schedule.nextRunAfter(now));
            }
        }
        int enqueued = 0;
        for (var due : schedules.due(now, BATCH)) {
            var schedule = schedules.schedule(due.addonId()).orElse(null);
            var addon = addons.find(due.addonId()).orElse(null);
            if (schedule == null || addon == null) {
                continue;
            }
            LocalDate day = schedule.dateOf(due.runAt());
            SnapshotKind kind = schedule.on(addon.plan()).kindOn(day);
            // Without access to the app's config vars its databases cannot be reached: their runs pause
            // (the owner was told once that access is lost) and resume with access. Attached ones run.
            boolean access = addon.accessState() == AccessState.ACTIVE;
            var coverage = addons.coverage(addon);
            tellNotCovered(addon, coverage);
            var databases = coverage.covered().stream()
                    .filter(db -> access || addons.databaseEntry(addon.id(), db.configVar()).map(AddonRepository.DatabaseEntry::attached).orElse(false))
                    .toList();
            for (FoundDatabase database : databases) {
                UUID jobId = UUID.nameUUIDFromBytes(("backup:" + addon.id() + ":" + database.configVar() + ":" + day)
                        .getBytes(StandardCharsets.UTF_8));
                String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon.id(),
                        database.configVar(), database.engine(), kind, null, day, jobId, now));
                jobs.enqueue(jobId, new BackupJob(id));
                enqueued++;
            }
            // Missed days (the service was down) are not caught up: the next run is the next one from now.
            schedules.advance(addon.id(), due.runAt(), schedule.nextRunAfter(now.isAfter(due.runAt()) ? now : due.runAt()));
            LOG.info("event=backups_dispatched addon={} day={} kind={} databases={} not_covered={}", addon.id(), day, kind.dbValue(),
                    databases.size(), coverage.notCovered().size());
        }
        return enqueued;
    }

    /** Once per database that falls outside the plan (again): the dashboard and the API list it all along. */
    private void tellNotCovered(Addon addon, PlanCoverage coverage) {
        addons.clearNotCoveredNotices(addon.id(), coverage.covered().stream().map(FoundDatabase::configVar).toList());
        for (FoundDatabase database : coverage.notCovered()) {
            if (addons.markNotCoveredNotice(addon.id(), database.configVar(), clock.instant())) {
                notifier.notice(addon.id(), "plan:" + database.configVar(), "database_not_covered",
                        database.configVar() + " is not backed up: your plan does not cover it",
                        coverage.whyNotCovered(database.configVar()));
            }
        }
    }
}
