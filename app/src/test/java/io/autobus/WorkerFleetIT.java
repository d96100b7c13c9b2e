package io.autobus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.support.Fleet;
import io.autobus.support.JarProcess;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Scale-out, shown: the packaged jar as the Procfile runs it, one {@code web} and three
 * {@code worker} processes on one metadata PostgreSQL and one snapshot store. 200 add-ons come
 * due at the same moment; one worker is killed with SIGKILL while it backs some of them up.
 * Every backup and every verification must have run to its end exactly once, spread over the
 * workers, the killed worker's unfinished ones on the others. Each process's output is kept in
 * {@code app/target/worker-fleet/<run>/<process>/<process>.log}.
 */
class WorkerFleetIT {
    private static final int ADDONS = 200;
    private static final Map<String, String> SETTINGS = Map.of(
            "AUTOBUS_WORKER_THREADS", "3", // and the pool its default for them (config/ConnectionBudget)
            "AUTOBUS_COMPRESSION_THREADS", "1");
    private static final Pattern SNAPSHOT = Pattern.compile(" snapshot=([0-9a-z]+)");

    @Test
    void three_workers_run_each_of_200_backups_due_at_once_and_its_verification_exactly_once_and_a_killed_worker_s_jobs_end_elsewhere()
            throws Exception {
        long began = System.nanoTime();
        String source = TestDatabase.create("fleet_source");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)");
            statement.execute("INSERT INTO customers SELECT i, 'customer ' || i FROM generate_series(1, 100) i");
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, total numeric)");
            statement.execute("INSERT INTO orders SELECT i, 1 + i % 100, i * 1.5 FROM generate_series(1, 300) i");
        }
        Path root = Files.createDirectories(Path.of("target", "worker-fleet", Instant.now().toString().replace(':', '-')));
        Path jar = Path.of(System.getProperty("autobus.jar", "target/autobus.jar"));
        assertThat(jar).as("run through 'mvn verify', which packages the jar first").exists();

        try (var fleet = new Fleet(root, jar, TestDatabase.create("fleet_metadata"), SETTINGS)) {
            fleet.startWeb();
            List<JarProcess> workers = fleet.startWorkers(3);
            var addons = fleet.provision(ADDONS, source); // while the workers start: their access checks wait for them
            fleet.awaitWorkers();
            double ready = (System.nanoTime() - began) / 1e9;
            Instant due = fleet.dueAtOnce();
            fleet.dispatchNow();

            // Some of a worker's backups have ended, and at least one is under way: then that worker dies.
            var victim = await("a worker with backups done and one under way").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> workers.stream().filter(w -> snapshots(w, "backup_completed").size() >= 3
                            && !underway(w).isEmpty()).findFirst(), java.util.Optional::isPresent).orElseThrow();
            victim.kill();
            var survivors = workers.stream().filter(w -> w != victim).toList();
            Set<String> backupsCut = underway(victim);
            Set<String> verificationsCut = difference(snapshots(victim, "snapshot_completed"), snapshots(victim, "snapshot_verified"));

            await("every add-on's snapshot completed and verified").atMost(Duration.ofSeconds(240))
                    .failFast("a worker exited", () -> survivors.stream().anyMatch(w -> !w.alive()))
                    .until(() -> fleet.count("SELECT count(*) FROM snapshot WHERE status = 'completed' AND verification = 'verified'")
                            == ADDONS);

            // One snapshot per add-on for the run that was due, and no other.
            assertThat(fleet.count("SELECT count(*) FROM snapshot")).isEqualTo(ADDONS);
            assertThat(fleet.count("SELECT count(DISTINCT addon_id) FROM snapshot WHERE scheduled_for = DATE '"
                    + due.atZone(ZoneOffset.UTC).toLocalDate() + "'")).isEqualTo(ADDONS);
            assertThat(fleet.count("SELECT count(*) FROM addon WHERE next_backup_at > now() + interval '23 hours'"))
                    .as("every schedule moved on to the next day").isEqualTo(addons.size());

            // Each backup and each verification ran to its end once, in one process: never twice, never in the web process.
            // Killed between recording an end and logging it, the victim leaves that end unlogged (the database has it,
            // as awaited above): only what it had under way may be missing from the logs.
            var completedOn = endedOn(workers, "snapshot_completed");
            var verifiedOn = endedOn(workers, "snapshot_verified");
            Set<String> all = fleet.pairs("SELECT id, status FROM snapshot").keySet();
            assertThat(completedOn).allSatisfy((id, on) -> assertThat(on).as(id).hasSize(1));
            assertThat(difference(all, completedOn.keySet())).as("completed but logged by no one").isSubsetOf(backupsCut);
            assertThat(verifiedOn).allSatisfy((id, on) -> assertThat(on).as(id).hasSize(1));
            assertThat(difference(all, verifiedOn.keySet())).as("verified but logged by no one").isSubsetOf(verificationsCut);
            assertThat(workers.stream().flatMap(w -> w.lines("event=snapshot_verified").stream()))
                    .allSatisfy(line -> assertThat(line).contains("outcome=verified"));
            assertThat(workers.stream().flatMap(w -> w.lines("event=snapshot_failed").stream())).isEmpty();
            assertThat(fleet.web().lines("event=backup_started")).isEmpty();

            // Spread: every worker took a share (the victim until it died).
            Map<String, Long> perWorker = completedOn.values().stream()
                    .collect(Collectors.groupingBy(on -> on.getFirst().name(), java.util.TreeMap::new, Collectors.counting()));
            assertThat(perWorker).as("backups completed per worker").containsOnlyKeys("worker.1", "worker.2", "worker.3");

            // What the victim had under way ended on the others: JobRunr found its jobs orphaned and ran them again.
            assertThat(backupsCut).as("backups the killed worker had under way").isNotEmpty();
            assertThat(backupsCut).filteredOn(completedOn::containsKey)
                    .allSatisfy(id -> assertThat(survivors).contains(completedOn.get(id).getFirst()));
            assertThat(verificationsCut).filteredOn(verifiedOn::containsKey)
                    .allSatisfy(id -> assertThat(survivors).contains(verifiedOn.get(id).getFirst()));
            var cutJobs = fleet.pairs("SELECT s.id, j.state FROM snapshot s JOIN jobrunr_jobs j ON j.id = s.job_id::text WHERE s.id IN ("
                    + backupsCut.stream().map(id -> "'" + id + "'").collect(Collectors.joining(",")) + ")"
                    + " AND j.jobasjson LIKE '%too long in PROCESSING state%'");
            assertThat(cutJobs).as("the cut backups' jobs, failed as orphans and run again").hasSize(backupsCut.size())
                    .allSatisfy((id, state) -> assertThat(state).isEqualTo("SUCCEEDED"));

            System.out.printf("WorkerFleetIT: %d add-ons provisioned and workers up after %.0f s, due at %s; backups completed per"
                            + " worker %s; %s killed with %s under way (and %d verifications), ended on the others (%d recorded by it"
                            + " but not logged); %.0f s in all%n",
                    ADDONS, ready, due, perWorker, victim.name(), backupsCut, verificationsCut.size(),
                    difference(all, completedOn.keySet()).size() + difference(all, verifiedOn.keySet()).size(), (System.nanoTime() - began) / 1e9);
        }
    }

    /** Snapshots a worker started and had not completed (when it died: that it was cut off). */
    private static Set<String> underway(JarProcess worker) {
        return difference(snapshots(worker, "backup_started"), snapshots(worker, "backup_completed"));
    }

    /**
     * The snapshots named by the worker's {@code event=<event>} lines. {@code backup_completed} means the run ended
     * either way (completed or failed).
     */
    private static Set<String> snapshots(JarProcess worker, String event) {
        List<String> events = event.equals("backup_completed") ? List.of("snapshot_completed", "snapshot_failed") : List.of(event);
        var ids = new HashSet<String>();
        for (String line : worker.output().lines().toList()) {
            if (events.stream().anyMatch(e -> line.contains("event=" + e + " "))) {
                var matcher = SNAPSHOT.matcher(line);
                if (matcher.find()) {
                    ids.add(matcher.group(1));
                }
            }
        }
        return ids;
    }

    /** For each snapshot, the processes whose output has an {@code event=<event>} line for it (once per line). */
    private static Map<String, List<JarProcess>> endedOn(List<JarProcess> workers, String event) {
        var on = new HashMap<String, List<JarProcess>>();
        for (JarProcess worker : workers) {
            for (String line : worker.lines("event=" + event + " ")) {
                var matcher = SNAPSHOT.matcher(line);
                if (matcher.find()) {
                    on.computeIfAbsent(matcher.group(1), id -> new java.util.ArrayList<>()).add(worker);
                }
            }
        }
        return on;
    }

    private static Set<String> difference(Set<String> all, Set<String> without) {
        var left = new HashSet<>(all);
        left.removeAll(without);
        return left;
    }
}
