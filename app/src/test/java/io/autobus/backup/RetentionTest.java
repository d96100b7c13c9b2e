package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.addon.Plan;
import io.autobus.storage.LocalDownloads;
import io.autobus.storage.LocalSnapshotStore;
import io.autobus.storage.SnapshotStores;
import io.autobus.support.IsolatedMetadata;
import io.autobus.support.TestClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's retention table over simulated years of daily runs: scheduled ones go by kind, manual ones never. */
class RetentionTest {
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-01-01");

    private final IsolatedMetadata metadata = new IsolatedMetadata();
    private final SnapshotRepository snapshots = new SnapshotRepository(metadata.database.dsl());
    private final TestClock clock = new TestClock();
    @TempDir
    Path storage;

    @AfterEach
    void close() {
        metadata.close();
    }

    @Test
    void scheduled_snapshots_are_kept_by_kind_and_the_newest_one_survives_a_run_of_failures() throws Exception {
        var store = new LocalSnapshotStore(storage, URI.create("http://localhost"), new byte[32], clock);
        var stores = SnapshotStores.local(store, new LocalDownloads(storage, new byte[32], clock));
        UUID addon = metadata.addon(Plan.TRAVEL, FIRST_DAY.atStartOfDay().toInstant(ZoneOffset.UTC));
        metadata.addons.replaceDatabases(addon, List.of(DATABASE), clock.instant());
        var schedule = new BackupSchedule(3, 0, ZoneId.of("UTC"), DayOfWeek.SUNDAY, true);
        var pruner = new SnapshotPruner(snapshots, stores, clock);
        var all = new ArrayList<String>();

        // 500 days of runs; the last 20 fail (the database went away), pruning after each day.
        for (int day = 0; day < 500; day++) {
            LocalDate date = FIRST_DAY.plusDays(day);
            Instant runAt = date.atTime(3, 0).toInstant(ZoneOffset.UTC);
            setClock(runAt);
            String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon, "DATABASE_URL",
                    "postgresql", schedule.kindOn(date), null, date, UUID.randomUUID(), runAt));
            if (day < 480) {
                String key = SnapshotKeys.objectKey(addon, "DATABASE_URL", id, "postgresql");
                store.put(key, new ByteArrayInputStream(("dump of " + date).getBytes()));
                snapshots.complete(id, new SnapshotRepository.Completion("15.4", 20, "x", store.region(), key, null, null), runAt, runAt);
            } else {
                snapshots.fail(id, "could not connect", runAt, runAt, true);
            }
            all.add(id);
            pruner.prune();
        }

        Instant now = clock.instant();
        List<Snapshot> kept = snapshots.ofAddon(addon);
        Snapshot newestCompleted = kept.stream().filter(s -> s.status() == SnapshotStatus.COMPLETED).findFirst().orElseThrow();
        assertThat(newestCompleted.scheduledFor()).as("kept although 20 days old").isEqualTo(FIRST_DAY.plusDays(479));
        for (Snapshot snapshot : kept) {
            if (snapshot.status() == SnapshotStatus.COMPLETED && !snapshot.id().equals(newestCompleted.id())) {
                assertThat(snapshot.createdAt()).as(snapshot.kind() + " " + snapshot.scheduledFor())
                        .isAfterOrEqualTo(now.minus(snapshot.kind().retention().orElseThrow()));
            }
            assertThat(store.exists(snapshot.storageKey() == null ? "none" : snapshot.storageKey()))
                    .isEqualTo(snapshot.status() == SnapshotStatus.COMPLETED);
        }
        assertThat(kept).filteredOn(s -> s.kind() == SnapshotKind.MONTHLY).hasSize(12);
        assertThat(kept).filteredOn(s -> s.kind() == SnapshotKind.WEEKLY && s.status() == SnapshotStatus.COMPLETED)
                .as("the weeks before the failures began").hasSizeBetween(0, 2);
        assertThat(kept).filteredOn(s -> s.status() == SnapshotStatus.FAILED).hasSize(20);
        long pruned = all.size() - kept.size();
        assertThat(pruned).isGreaterThan(450);
        try (var files = java.nio.file.Files.walk(storage)) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile).count())
                    .as("every pruned snapshot's object is gone")
                    .isEqualTo(kept.stream().filter(s -> s.storageKey() != null).count());
        }
    }

    @Test
    void over_a_year_of_daily_pruning_no_manual_snapshot_is_ever_deleted() throws Exception {
        var store = new LocalSnapshotStore(storage, URI.create("http://localhost"), new byte[32], clock);
        var stores = SnapshotStores.local(store, new LocalDownloads(storage, new byte[32], clock));
        UUID addon = metadata.addon(Plan.FREE, FIRST_DAY.atStartOfDay().toInstant(ZoneOffset.UTC));
        metadata.addons.replaceDatabases(addon, List.of(DATABASE), clock.instant());
        var schedule = new BackupSchedule(3, 0, ZoneId.of("UTC"), DayOfWeek.SUNDAY, false);
        var pruner = new SnapshotPruner(snapshots, stores, clock);
        var manual = new ArrayList<String>();

        for (int day = 0; day < 365; day++) {
            LocalDate date = FIRST_DAY.plusDays(day);
            Instant runAt = date.atTime(3, 0).toInstant(ZoneOffset.UTC);
            setClock(runAt);
            storedSnapshot(store, addon, schedule.kindOn(date), null, date);
            if (day % 9 == 0) {
                setClock(runAt.plus(Duration.ofHours(8)));
                manual.add(storedSnapshot(store, addon, SnapshotKind.MANUAL, day == 0 ? "before the big migration" : "deploy " + day, null));
            }
            pruner.prune();
        }

        var kept = snapshots.ofAddon(addon);
        assertThat(kept).filteredOn(s -> s.kind() == SnapshotKind.MANUAL).extracting(Snapshot::id)
                .as("the seed keeps manual snapshots: Unlimited").containsExactlyInAnyOrderElementsOf(manual);
        assertThat(kept).filteredOn(s -> s.kind() == SnapshotKind.MANUAL)
                .allSatisfy(s -> assertThat(store.exists(s.storageKey())).as(s.description()).isTrue());
        assertThat(kept).filteredOn(s -> s.kind() == SnapshotKind.DAILY).as("daily ones still go after a week").hasSizeLessThanOrEqualTo(7);
    }

    @Test
    void a_detached_database_s_snapshots_go_when_their_retention_ends_its_manual_ones_stay() throws Exception {
        var store = new LocalSnapshotStore(storage, URI.create("http://localhost"), new byte[32], clock);
        var stores = SnapshotStores.local(store, new LocalDownloads(storage, new byte[32], clock));
        UUID addon = metadata.addon(Plan.TRAVEL, clock.instant());
        metadata.addons.replaceDatabases(addon, List.of(DATABASE), clock.instant());
        String daily = storedSnapshot(store, addon, SnapshotKind.DAILY, null, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        String manual = storedSnapshot(store, addon, SnapshotKind.MANUAL, "before the big migration", null);
        var pruner = new SnapshotPruner(snapshots, stores, clock);

        clock.advance(Duration.ofDays(30));
        pruner.prune();
        assertThat(snapshots.find(daily)).as("the newest of a database the add-on has is kept, however old").isPresent();

        metadata.addons.replaceDatabases(addon, List.of(), clock.instant()); // the app no longer has it
        pruner.prune();
        assertThat(snapshots.find(daily)).as("past its week, and the database is gone").isEmpty();
        assertThat(snapshots.find(manual)).isPresent();
    }

    private static final io.autobus.addon.FoundDatabase DATABASE =
            new io.autobus.addon.FoundDatabase("DATABASE_URL", "postgresql", "db.example.com", 5432, "app");

    /** A completed snapshot of DATABASE_URL, taken now, with its object in the store. */
    private String storedSnapshot(LocalSnapshotStore store, UUID addon, SnapshotKind kind, String description, LocalDate day)
            throws Exception {
        String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon, "DATABASE_URL",
                "postgresql", kind, description, day, UUID.randomUUID(), clock.instant()));
        String key = SnapshotKeys.objectKey(addon, "DATABASE_URL", id, "postgresql");
        store.put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        snapshots.complete(id, new SnapshotRepository.Completion("15.4", 3, "x", store.region(), key, null, null),
                clock.instant(), clock.instant());
        return id;
    }

    private void setClock(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }
}
