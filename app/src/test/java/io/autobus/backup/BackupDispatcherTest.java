package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.addon.FoundDatabase;
import io.autobus.addon.Plan;
import io.autobus.support.IsolatedMetadata;
import io.autobus.support.TestClock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one recurring dispatcher turns schedules kept in our table into backup jobs, each once. */
class BackupDispatcherTest {
    private final IsolatedMetadata metadata = new IsolatedMetadata();
    private final SnapshotRepository snapshots = new SnapshotRepository(metadata.database.dsl());
    private final ScheduleRepository schedules = new ScheduleRepository(metadata.database.dsl());
    private final TestClock clock = new TestClock();
    private final PostgresStorageProvider jobStorage = new PostgresStorageProvider(metadata.database.dataSource());
    private final BackupDispatcher dispatcher;

    BackupDispatcherTest() {
        jobStorage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
        var scheduler = new JobRequestScheduler(jobStorage);
        dispatcher = new BackupDispatcher(schedules, metadata.addons, snapshots, scheduler,
                new io.autobus.notify.Notifier(metadata.database.dsl(), scheduler, false, clock), clock);
    }

    @AfterEach
    void close() {
        jobStorage.close();
        metadata.close();
    }

    @Test
    void each_day_one_snapshot_per_database_of_the_plan_with_the_kind_of_that_day() {
        setClock(Instant.parse("2026-11-27T00:00:00Z")); // a Friday
        UUID addon = metadata.addon(Plan.FREE, clock.instant());
        attach(addon, "DATABASE_URL");
        attach(addon, "SECOND_URL");
        schedules.save(addon, new BackupSchedule(2, 30, ZoneId.of("UTC"), DayOfWeek.SUNDAY, true),
                Instant.parse("2026-11-27T02:30:00Z"));

        var kinds = new java.util.ArrayList<String>();
        for (int hour = 0; hour < 24 * 6; hour++) {
            clock.advance(Duration.ofHours(1));
            dispatcher.dispatch();
            dispatcher.dispatch(); // a second dispatcher, or a repeated round, adds nothing
        }
        snapshots.ofAddon(addon).reversed().forEach(s -> kinds.add(s.scheduledFor() + " " + s.kind().label() + " " + s.configVar()));

        assertThat(kinds).containsExactly(
                "2026-11-27 Daily DATABASE_URL",
                "2026-11-28 Daily DATABASE_URL",
                "2026-11-29 Weekly DATABASE_URL",
                "2026-11-30 Daily DATABASE_URL",
                "2026-12-01 Daily DATABASE_URL", // the schedule says monthly, but the free plan has none
                "2026-12-02 Daily DATABASE_URL");
        assertThat(metadata.database.dsl().fetchCount(org.jooq.impl.DSL.table("jobrunr_jobs"),
                org.jooq.impl.DSL.field("jobSignature", String.class).contains("BackupJob")))
                .as("one job per snapshot, whatever the rounds").isEqualTo(6);
        assertThat(snapshots.ofAddon(addon)).allSatisfy(s -> assertThat(s.jobId()).isNotNull());
    }

    @Test
    void a_larger_plan_backs_up_more_databases_and_new_addons_get_a_spread_default_schedule() {
        UUID addon = metadata.addon(Plan.TRAVEL, clock.instant());
        attach(addon, "DATABASE_URL");
        attach(addon, "SECOND_URL");

        dispatcher.dispatch();
        var schedule = schedules.schedule(addon).orElseThrow();
        clock.advance(Duration.ofDays(1));
        int enqueued = dispatcher.dispatch();

        assertThat(schedule).isEqualTo(BackupSchedule.defaultFor(addon));
        assertThat(schedule.monthlyEnabled()).as("monthly is off by default").isFalse();
        assertThat(enqueued).isEqualTo(2);
        assertThat(snapshots.ofAddon(addon)).extracting(Snapshot::configVar).containsExactlyInAnyOrder("DATABASE_URL", "SECOND_URL");
    }

    @Test
    void a_schedule_saved_by_another_process_is_not_overwritten_by_the_default_a_round_gives_new_addons() {
        UUID addon = metadata.addon(Plan.FREE, clock.instant());
        var custom = new BackupSchedule(7, 15, ZoneId.of("Europe/Berlin"), DayOfWeek.MONDAY, false);
        Instant customRun = custom.nextRunAfter(clock.instant());
        // The round read the add-on as unscheduled; the customer's schedule was saved before the round wrote the default.
        schedules.save(addon, custom, customRun);

        boolean defaulted = schedules.saveIfUnscheduled(addon, BackupSchedule.defaultFor(addon),
                BackupSchedule.defaultFor(addon).nextRunAfter(clock.instant()));

        assertThat(defaulted).isFalse();
        assertThat(schedules.schedule(addon)).contains(custom);
        assertThat(schedules.due(customRun, 10)).extracting(ScheduleRepository.DueRun::runAt).containsExactly(customRun);
    }

    @Test
    void runs_of_config_var_databases_pause_while_access_is_lost_and_resume_with_it() {
        UUID addon = metadata.addon(Plan.FREE, clock.instant());
        metadata.addons.replaceDatabases(addon, java.util.List.of(new FoundDatabase("DATABASE_URL", "postgresql", "db.example.com", 5432, "d1")),
                clock.instant());
        metadata.addons.recordAccess(addon, io.autobus.addon.AccessState.WAITING_FOR_ACCESS, "lost", clock.instant(), clock.instant());
        dispatcher.dispatch();

        clock.advance(Duration.ofDays(1));
        int whileLost = dispatcher.dispatch();
        metadata.addons.recordAccess(addon, io.autobus.addon.AccessState.ACTIVE, null, clock.instant(), clock.instant());
        clock.advance(Duration.ofDays(1));
        int withAccess = dispatcher.dispatch();

        assertThat(whileLost).isZero();
        assertThat(withAccess).isEqualTo(1);
        assertThat(snapshots.ofAddon(addon)).hasSize(1);
    }

    @Test
    void a_downgrade_to_a_plan_without_monthly_snapshots_keeps_the_1st_as_a_daily_one() {
        setClock(Instant.parse("2026-11-30T12:00:00Z"));
        UUID addon = metadata.addon(Plan.TRAVEL, clock.instant());
        attach(addon, "DATABASE_URL");
        var monthly = new BackupSchedule(2, 30, ZoneId.of("UTC"), DayOfWeek.SUNDAY, true);
        schedules.save(addon, monthly, Instant.parse("2026-12-01T02:30:00Z"));
        setClock(Instant.parse("2026-12-01T03:00:00Z"));
        dispatcher.dispatch();

        metadata.addons.updatePlan(addon, Plan.FREE, clock.instant());
        schedules.save(addon, monthly, Instant.parse("2027-01-01T02:30:00Z"));
        setClock(Instant.parse("2027-01-01T03:00:00Z"));
        dispatcher.dispatch();

        assertThat(snapshots.ofAddon(addon).reversed()).extracting(s -> s.scheduledFor() + " " + s.kind().label())
                .containsExactly("2026-12-01 Monthly", "2027-01-01 Daily");
    }

    @Test
    void databases_beyond_the_plan_are_not_backed_up_and_the_owner_is_told_once_each_time_they_fall_out() {
        UUID addon = metadata.addon(Plan.FREE, clock.instant());
        attach(addon, "ZEBRA_URL");
        clock.advance(Duration.ofMinutes(1));
        attach(addon, "ALPHA_URL"); // later, although first in alphabetical order: ZEBRA_URL keeps the plan's place
        dispatcher.dispatch();

        for (int day = 0; day < 3; day++) {
            clock.advance(Duration.ofDays(1));
            dispatcher.dispatch();
        }
        assertThat(snapshots.ofAddon(addon)).extracting(Snapshot::configVar).containsOnly("ZEBRA_URL").hasSize(3);
        assertThat(notices(addon)).as("told once, not every night").containsExactly("ALPHA_URL is not backed up: your plan does not cover it");

        metadata.addons.updatePlan(addon, Plan.TRAVEL, clock.instant());
        clock.advance(Duration.ofDays(1));
        dispatcher.dispatch();
        assertThat(snapshots.ofAddon(addon)).extracting(Snapshot::configVar).contains("ALPHA_URL");

        metadata.addons.updatePlan(addon, Plan.FREE, clock.instant());
        clock.advance(Duration.ofDays(1));
        dispatcher.dispatch();
        assertThat(notices(addon)).as("out of the plan again: told again").hasSize(2);
    }

    private java.util.List<String> notices(UUID addon) {
        var notification = org.jooq.impl.DSL.table("notification");
        return metadata.database.dsl().select(org.jooq.impl.DSL.field("subject", String.class)).from(notification)
                .where(org.jooq.impl.DSL.field("addon_id", UUID.class).eq(addon), org.jooq.impl.DSL.field("event", String.class)
                        .eq("database_not_covered"))
                .fetch(0, String.class);
    }

    private void attach(UUID addon, String configVar) {
        metadata.addons.attach(addon, new FoundDatabase(configVar, "postgresql", "127.0.0.1", 5432, "db"), new byte[] {1}, clock.instant());
    }

    private void setClock(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }
}
