package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.addon.FoundDatabase;
import io.autobus.addon.Plan;
import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.support.IsolatedMetadata;
import io.autobus.support.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Once a month the newest snapshot of each database is downloaded and restored again, each time once. */
class DeepCheckDispatcherTest {
    private final IsolatedMetadata metadata = new IsolatedMetadata();
    private final SnapshotRepository snapshots = new SnapshotRepository(metadata.database.dsl());
    private final TestClock clock = new TestClock();
    private final PostgresStorageProvider jobStorage = new PostgresStorageProvider(metadata.database.dataSource());
    private final DeepCheckDispatcher dispatcher;

    DeepCheckDispatcherTest() {
        jobStorage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
        dispatcher = new DeepCheckDispatcher(snapshots, new JobRequestScheduler(jobStorage), clock);
    }

    @AfterEach
    void close() {
        jobStorage.close();
        metadata.close();
    }

    @Test
    void the_newest_snapshot_of_each_attached_database_is_verified_again_a_month_after_its_last_check_once_per_month() {
        UUID addon = metadata.addon(Plan.TRAVEL, clock.instant());
        attach(addon, "DATABASE_URL");
        attach(addon, "SECOND_URL");
        String older = completed(addon, "DATABASE_URL", true);
        String detached = completed(addon, "GONE_URL", true);
        clock.advance(Duration.ofDays(1));
        String newest = completed(addon, "DATABASE_URL", true);
        String neverChecked = completed(addon, "SECOND_URL", false);

        clock.advance(Duration.ofDays(29));
        assertThat(dispatcher.dispatch()).as("a month has not passed yet").isZero();

        clock.advance(Duration.ofDays(1).plusHours(1));
        dispatcher.dispatch();
        dispatcher.dispatch(); // another round before the checks ran, or a second worker's, queues nothing more

        assertThat(verifyJobs()).hasSize(2).anySatisfy(job -> assertThat(job).contains(newest))
                .anySatisfy(job -> assertThat(job).contains(neverChecked))
                .noneSatisfy(job -> assertThat(job).contains(older))
                .noneSatisfy(job -> assertThat(job).contains(detached));

        snapshots.recordVerification(newest, "verified", null, clock.instant(), 1000);
        snapshots.recordRestoredFromStore(newest, clock.instant());
        snapshots.markVerifying(neverChecked);
        assertThat(dispatcher.dispatch()).as("checked just now, or being checked").isZero();

        clock.advance(Duration.ofDays(30).plusHours(1));
        dispatcher.dispatch();
        dispatcher.dispatch();
        assertThat(verifyJobs()).as("the next month, the newest is checked again").hasSize(3)
                .filteredOn(job -> job.contains(newest)).hasSize(2);
    }

    @Test
    void snapshots_verified_in_flight_every_day_still_get_their_stored_copy_restored_once_a_month() {
        UUID addon = metadata.addon(Plan.TRAVEL, clock.instant());
        attach(addon, "DATABASE_URL");
        String newest = null;
        for (int day = 0; day < 31; day++) {
            newest = completed(addon, "DATABASE_URL", false);
            snapshots.recordVerification(newest, "verified", "in flight", clock.instant(), 1000); // never read back from the store
            clock.advance(Duration.ofDays(1));
        }

        dispatcher.dispatch();

        String checked = newest;
        assertThat(verifyJobs()).as("the newest, a month after the first was stored").singleElement()
                .satisfies(job -> assertThat(job).contains(checked));
    }

    private String completed(UUID addon, String configVar, boolean verified) {
        String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon, configVar, "postgresql",
                SnapshotKind.MANUAL, "test", null, UUID.randomUUID(), clock.instant()));
        snapshots.markRunning(id, clock.instant());
        snapshots.complete(id, new SnapshotRepository.Completion("16.4", 10, "ab".repeat(32), "local", "k-" + id, null, null),
                clock.instant(), clock.instant());
        if (verified) {
            snapshots.recordVerification(id, "verified", null, clock.instant(), 1000);
            snapshots.recordRestoredFromStore(id, clock.instant());
        }
        return id;
    }

    private List<String> verifyJobs() {
        return metadata.database.dsl().select(DSL.field("jobAsJson", String.class)).from(DSL.table("jobrunr_jobs"))
                .where(DSL.field("jobSignature", String.class).contains("VerifyJob"))
                .fetch(DSL.field("jobAsJson", String.class));
    }

    private void attach(UUID addon, String configVar) {
        metadata.addons.attach(addon, new FoundDatabase(configVar, "postgresql", "127.0.0.1", 5432, "db"), new byte[] {1}, clock.instant());
    }
}
