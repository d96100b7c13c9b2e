package io.autobus.bench;

import io.autobus.addon.FoundDatabase;
import io.autobus.addon.Plan;
import io.autobus.backup.BackupRunner;
import io.autobus.backup.BackupTargets;
import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.crypto.SecretBox;
import io.autobus.db.DatabaseUrl;
import io.autobus.dump.Dumpers;
import io.autobus.heroku.HerokuClients;
import io.autobus.storage.LocalDownloads;
import io.autobus.storage.LocalSnapshotStore;
import io.autobus.storage.S3SnapshotStore;
import io.autobus.storage.SnapshotStores;
import io.autobus.support.IsolatedMetadata;
import io.autobus.support.S3ProxyServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One backup of a real database through the service's own pipeline (BackupRunner: pg_dump →
 * SHA-256 → store), measuring wall time and the peak memory of this JVM and of pg_dump.
 * Run by {@code bench/backup-vs-pg_dump.sh}, which also times plain {@code pg_dump -Fc -f FILE}.
 *
 * <p>Arguments: the database URL, then {@code local} or {@code s3}; then, to also time the
 * verification of the snapshot, {@code verify} and the admin URL of the scratch server.
 */
public final class BackupBenchmark {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String storeKind = args.length > 1 ? args[1] : "local";
        Clock clock = Clock.systemUTC();
        var peakRss = new AtomicLong();
        var peakHeap = new AtomicLong();
        var peakToolRss = new AtomicLong();
        var sampler = Thread.ofPlatform().daemon().start(() -> sample(peakRss, peakHeap, peakToolRss));

        try (var metadata = new IsolatedMetadata()) {
            var secrets = new SecretBox(new byte[32]);
            UUID addon = metadata.addon(Plan.TRAVEL, clock.instant());
            var parsed = DatabaseUrl.parse(url);
            metadata.addons.attach(addon, new FoundDatabase("DATABASE_URL", "postgresql", parsed.host(), parsed.port(), parsed.database()),
                    secrets.seal("database-url:" + addon + ":DATABASE_URL", url), clock.instant());
            Path dir = Files.createTempDirectory("autobus-bench");
            SnapshotStores stores = "s3".equals(storeKind) ? s3Stores() : SnapshotStores.local(
                    new LocalSnapshotStore(dir, URI.create("http://localhost"), new byte[32], clock),
                    new LocalDownloads(dir, new byte[32], clock));
            var snapshots = new SnapshotRepository(metadata.database.dsl());
            var runner = new BackupRunner(snapshots, metadata.addons,
                    new BackupTargets(metadata.addons, HerokuClients.create(
                            io.autobus.config.Settings.fromEnvironment(java.util.Map.of("AUTOBUS_HOME", dir.toString())),
                            new ObjectMapper()).platform(), java.util.Optional.empty(), secrets),
                    Dumpers.installed(), stores, new DatabaseLocks(metadata.database.dataSource()),
                    BackupRunner.Outcomes.NONE, clock);
            String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon, "DATABASE_URL",
                    "postgresql", SnapshotKind.MANUAL, "benchmark", null, UUID.randomUUID(), clock.instant()));

            long started = System.nanoTime();
            runner.run(id);
            double seconds = (System.nanoTime() - started) / 1e9;
            Snapshot snapshot = snapshots.find(id).orElseThrow();
            System.out.printf("autobus store=%s status=%s seconds=%.1f bytes=%d mb_per_s=%.1f jvm_peak_rss_mb=%d "
                            + "jvm_peak_heap_mb=%d pg_dump_peak_rss_mb=%d max_heap_mb=%d%n",
                    storeKind, snapshot.state(), seconds, snapshot.sizeBytes() == null ? 0 : snapshot.sizeBytes(),
                    snapshot.sizeBytes() == null ? 0 : snapshot.sizeBytes() / 1e6 / seconds,
                    peakRss.get() / 1024, peakHeap.get() >> 20, peakToolRss.get() / 1024,
                    Runtime.getRuntime().maxMemory() >> 20);
            if (snapshot.error() != null) {
                System.out.println(snapshot.error());
            }
            if (args.length > 2 && "verify".equals(args[2])) {
                var jobStorage = new org.jobrunr.storage.sql.postgres.PostgresStorageProvider(metadata.database.dataSource());
                jobStorage.setJobMapper(new org.jobrunr.jobs.mappers.JobMapper(new org.jobrunr.utils.mapper.jackson.JacksonJsonMapper()));
                var jobs = new org.jobrunr.scheduling.JobRequestScheduler(jobStorage);
                var settings = io.autobus.config.Settings.fromEnvironment(java.util.Map.of("AUTOBUS_HOME", dir.toString(),
                        "VERIFY_POSTGRES_URL", args[3]));
                try (var verification = new io.autobus.verify.Verification(settings, snapshots, stores,
                        new DatabaseLocks(metadata.database.dataSource()),
                        new io.autobus.notify.Notifier(metadata.database.dsl(), jobs, false, clock), jobs, clock)) {
                    peakRss.set(0);
                    peakHeap.set(0);
                    long verifyStarted = System.nanoTime();
                    var verdict = verification.verifier().verify(id).orElseThrow();
                    System.out.printf("autobus verification store=%s outcome=%s seconds=%.1f jvm_peak_rss_mb=%d jvm_peak_heap_mb=%d (%s)%n",
                            storeKind, verdict.outcome(), (System.nanoTime() - verifyStarted) / 1e9, peakRss.get() / 1024,
                            peakHeap.get() >> 20, verdict.detail());
                }
                jobStorage.close();
            }
            sampler.interrupt();
            stores.close();
        }
        System.exit(0);
    }

    private static SnapshotStores s3Stores() {
        var s3 = S3ProxyServer.shared();
        String us = s3.createBucket("bench-us");
        String eu = s3.createBucket("bench-eu");
        return SnapshotStores.crossContinental(S3SnapshotStore.create(s3.settings(us, eu), us, "us-east-1"),
                S3SnapshotStore.create(s3.settings(us, eu), eu, "eu-west-1"));
    }

    /** Every 20 ms: this JVM's resident set and heap, and pg_dump's resident set (kB from /proc). */
    private static void sample(AtomicLong peakRss, AtomicLong peakHeap, AtomicLong peakToolRss) {
        var memory = ManagementFactory.getMemoryMXBean();
        while (!Thread.currentThread().isInterrupted()) {
            peakRss.accumulateAndGet(rssKb(ProcessHandle.current().pid()), Math::max);
            peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("pg_dump"))
                    .forEach(p -> peakToolRss.accumulateAndGet(rssKb(p.pid()), Math::max));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception ignored) {
            // the process ended
        }
        return 0;
    }
}
