package io.autobus.bench;

import io.autobus.support.Fleet;
import io.autobus.support.JarProcess;
import io.autobus.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Backups per hour with 1 and with 2 worker processes, on the same data: N add-ons whose apps'
 * DATABASE_URL is the same PostgreSQL database, all due at once (as {@code WorkerFleetIT} makes
 * them), each run on a fresh metadata database with one web process. The rate counts from the
 * first backup's start to the last verdict, from the processes' own log lines: dump, store and
 * verification in flight, as every nightly backup runs. Started by {@code bench/workers}; prints
 * a Markdown table.
 *
 * <pre>java io.autobus.bench.WorkersBench --jar app/target/autobus.jar --addons 40 --database autobus_bench_pg_2 --workers 1,2</pre>
 */
public final class WorkersBench {
    private record Run(int workers, int backups, double seconds, double medianBackupSeconds, List<Long> perWorker, String load) {
        double perHour() {
            return backups / seconds * 3600;
        }
    }

    private WorkersBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        int addons = 40;
        String database = null;
        List<Integer> counts = List.of(1, 2);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--addons" -> addons = Integer.parseInt(args[++i]);
                case "--database" -> database = args[++i];
                case "--workers" -> counts = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String source = "postgres://postgres@127.0.0.1:5432/" + database;
        Path work = Files.createTempDirectory("autobus-workers");
        var runs = new ArrayList<Run>();
        for (int workers : counts) {
            Benchmarks.log(workers + " worker process(es), " + addons + " add-ons of " + database);
            runs.add(run(jar, work.resolve("workers-" + workers), source, addons, workers));
            Benchmarks.log(runs.getLast().toString());
        }
        System.out.println(table(database, addons, runs));
        System.exit(0);
    }

    private static Run run(Path jar, Path root, String source, int addons, int workers) throws Exception {
        // The service's defaults (AUTOBUS_WORKER_THREADS 4, pool 10, verification in flight on an embedded server per
        // worker), with a local directory store shared by the processes.
        try (var fleet = new Fleet(root, jar, TestDatabase.create("bench_workers"), Map.of())) {
            fleet.startWeb();
            var started = fleet.startWorkers(workers);
            fleet.provision(addons, source);
            fleet.awaitWorkers();
            fleet.dueAtOnce();
            fleet.dispatchNow();
            org.awaitility.Awaitility.await("every backup ended and was verified").atMost(Duration.ofHours(2))
                    .pollInterval(Duration.ofMillis(500)) // polled, not timed: the rate comes from the logs' own timestamps
                    .failFast("a worker exited; see the logs under " + root, () -> started.stream().anyMatch(w -> !w.alive()))
                    .until(() -> fleet.count("SELECT count(*) FROM snapshot WHERE verification IN ('verified', 'failed', 'unverifiable')"
                            + " OR status = 'failed'") == addons);
            long verified = fleet.count("SELECT count(*) FROM snapshot WHERE verification = 'verified'");
            if (verified != addons) {
                throw new IllegalStateException(verified + " of " + addons + " snapshots verified; see the logs under " + root);
            }
            Instant first = earliest(started, "event=backup_started ");
            Instant last = latest(started, "event=snapshot_verified ");
            double median = fleet.count("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY duration_ms) FROM snapshot") / 1000.0;
            var perWorker = started.stream().map(w -> (long) w.lines("event=snapshot_completed ").size()).toList();
            return new Run(workers, addons, Duration.between(first, last).toMillis() / 1000.0, median, perWorker, loadAverage());
        }
    }

    /** The machine's load average over the last minute, as the run ends: on a shared machine, what else ran beside it. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static Instant earliest(List<JarProcess> workers, String event) {
        return workers.stream().flatMap(w -> w.lines(event).stream()).map(WorkersBench::time).min(Instant::compareTo).orElseThrow();
    }

    private static Instant latest(List<JarProcess> workers, String event) {
        return workers.stream().flatMap(w -> w.lines(event).stream()).map(WorkersBench::time).max(Instant::compareTo).orElseThrow();
    }

    /** The timestamp a log line starts with ({@code 2026-11-30T06:36:19.463Z level=INFO ...}). */
    private static Instant time(String line) {
        return Instant.parse(line.substring(0, line.indexOf(' ')));
    }

    private static String table(String database, int addons, List<Run> runs) {
        var out = new StringBuilder("| Worker processes | Backups (" + database + ") | First start → last verdict | Backups per hour"
                + " | vs 1 worker (mean of its runs) | Median backup (dump + store, verified in flight) | Completed per worker | Load average at the end |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        double base = runs.stream().filter(run -> run.workers() == 1).mapToDouble(Run::perHour).average()
                .orElse(runs.getFirst().perHour());
        for (Run run : runs) {
            out.append(String.format(Locale.ROOT, "| %d | %d | %.0f s | %.0f | %.2f× | %.1f s | %s | %s |%n", run.workers(), run.backups(),
                    run.seconds(), run.perHour(), run.perHour() / base, run.medianBackupSeconds(),
                    run.perWorker().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" / ")), run.load()));
        }
        return out.toString();
    }
}
