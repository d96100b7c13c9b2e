package io.autobus.bench;

import io.autobus.support.AppJson;
import io.autobus.support.Fleet;
import io.autobus.support.JarProcess;
import io.autobus.support.S3ProxyServer;
import io.autobus.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A whole worker dyno's memory, as Heroku counts it: the packaged jar as one {@code worker} process with the JVM options
 * app.json sets and every other setting at its default (4 worker threads, the 160 MiB upload budget, verification in
 * flight on the worker's own embedded PostgreSQL), started in a memory cgroup of its own, so that everything it starts
 * (pg_dump, the embedded verification server and its backends, pg_restore) is counted with it, as in a dyno's cgroup.
 * The cgroup is limited to {@code --limit-mb} (512: a basic dyno; 0: no limit) and, with no swap here, going past it
 * is an OOM kill, where Heroku would swap and report R14. N add-ons are due at once on one database, so N backups run
 * side by side, uploaded to S3 (S3Proxy, in a JVM of its own outside the cgroup) through the upload memory budget.
 * {@code --part-mb 160} ({@code AUTOBUS_UPLOAD_PART_MB}) makes every part 160 MiB, as every upload of a dump over
 * 140 GB has them: four such uploads at once, from databases of any size. {@code --cpus} is the processor count the
 * worker's JVM is told ({@code -XX:ActiveProcessorCount}): a shared Heroku dyno shows the JVM 8, which sizes the
 * compression threads and the JIT's; 0 leaves this machine's. Started by {@code bench/worker-memory}; prints one
 * Markdown row.
 */
public final class WorkerMemoryBench {
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup/memory");

    /** @param anonByProgram at the sample charged most: each program's anonymous resident memory, summed over its processes */
    private record Peaks(long usage, long rssAndShmem, long rss, long shmem, long cache, long java, int processes,
                         Map<String, Long> anonByProgram) {
        Peaks max(Peaks other) {
            return new Peaks(Math.max(usage, other.usage), Math.max(rssAndShmem, other.rssAndShmem), Math.max(rss, other.rss),
                    Math.max(shmem, other.shmem), Math.max(cache, other.cache), Math.max(java, other.java),
                    Math.max(processes, other.processes), other.rssAndShmem > rssAndShmem ? other.anonByProgram : anonByProgram);
        }
    }

    private WorkerMemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        String database = null;
        int addons = 4;
        long limitMb = 512;
        int partMb = 8;
        String verifyUrl = "";
        int cpus = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--database" -> database = args[++i];
                case "--addons" -> addons = Integer.parseInt(args[++i]);
                case "--limit-mb" -> limitMb = Long.parseLong(args[++i]);
                case "--part-mb" -> partMb = Integer.parseInt(args[++i]);
                case "--verify-url" -> verifyUrl = args[++i];
                case "--cpus" -> cpus = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        var jvm = new java.util.ArrayList<>(AppJson.javaOptions());
        if (cpus > 0) {
            jvm.add("-XX:ActiveProcessorCount=" + cpus);
        }
        Path cgroup = Files.createDirectory(CGROUPS.resolve("autobus-worker-memory-" + ProcessHandle.current().pid()));
        Path work = Files.createTempDirectory("autobus-worker-memory");
        try {
            if (limitMb > 0) {
                write(cgroup.resolve("memory.limit_in_bytes"), Long.toString(limitMb << 20));
                if (Files.exists(cgroup.resolve("memory.memsw.limit_in_bytes"))) {
                    write(cgroup.resolve("memory.memsw.limit_in_bytes"), Long.toString(limitMb << 20));
                }
            }
            Benchmarks.log(addons + " backups at once of " + database + " in parts of at least " + partMb + " MiB, worker JVM " + jvm
                    + ", cgroup limit " + (limitMb > 0 ? limitMb + " MiB" : "none"));
            String row = run(jar, work, cgroup, "postgres://postgres@127.0.0.1:5432/" + database, addons, jvm, limitMb, partMb,
                    verifyUrl);
            System.out.println("| Worker (JVM options) | Verified on | Backups at once | Upload parts | Limit | Peak charged (rss + shmem) | Peak rss"
                    + " | Peak shmem | Peak JVM resident | Peak with page cache | Processes | OOM kills | Verdicts |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            System.out.println(row);
        } finally {
            removeWhenEmpty(cgroup);
        }
        System.exit(0);
    }

    private static String run(Path jar, Path root, Path cgroup, String source, int addons, List<String> jvm, long limitMb,
                              int partMb, String verifyUrl) throws Exception {
        var s3 = S3ProxyServer.shared();
        var environment = new HashMap<String, String>();
        // Every other setting at its default, VERIFY_POSTGRES_URL included (unless given): the worker verifies on embedded
        // servers of its own, in its cgroup.
        environment.put("VERIFY_POSTGRES_URL", verifyUrl);
        environment.put("AUTOBUS_STORAGE_DIR", "");
        environment.put("S3_BUCKET_US", s3.createBucket("bench-us"));
        environment.put("S3_BUCKET_EU", s3.createBucket("bench-eu"));
        environment.put("S3_ENDPOINT", s3.endpoint().toString());
        environment.put("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY);
        environment.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL);
        environment.put("AUTOBUS_UPLOAD_PART_MB", Integer.toString(partMb));
        AppJson.value("MALLOC_ARENA_MAX").ifPresent(value -> environment.put("MALLOC_ARENA_MAX", value));
        // The worker joins the cgroup before java starts (a shell that moves itself there, then execs java), so all of its
        // memory is charged there from the first page.
        var intoCgroup = List.of("sh", "-c", "echo $$ > '" + cgroup.resolve("cgroup.procs") + "' && exec \"$@\"", "sh");
        try (var fleet = new Fleet(root, jar, TestDatabase.create("bench_worker_memory"), environment)
                .jvmOptions(jvm).workerLauncher(intoCgroup)) {
            fleet.startWeb();
            JarProcess worker = fleet.startWorkers(1).getFirst();
            fleet.awaitWorkers();
            fleet.provision(addons, source);
            var sampling = new AtomicBoolean(true);
            var peaks = new Peaks[] {sample(cgroup, worker.pid())};
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (sampling.get()) {
                    try {
                        peaks[0] = peaks[0].max(sample(cgroup, worker.pid()));
                        Thread.sleep(100);
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        return; // the worker is gone (killed): what was sampled stands
                    }
                }
            });
            fleet.dueAtOnce();
            fleet.dispatchNow();
            try {
                org.awaitility.Awaitility.await("every backup ended and was verified").atMost(Duration.ofHours(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .failFast("the worker exited (killed at the limit?); see the logs under " + root, () -> !worker.alive())
                        .until(() -> fleet.count("SELECT count(*) FROM snapshot WHERE verification IN ('verified', 'failed', 'unverifiable')"
                                + " OR status = 'failed'") == addons);
            } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
                Benchmarks.log(e.getMessage());
            }
            sampling.set(false);
            sampler.join();
            String verdicts = fleet.pairs("SELECT coalesce(verification, status), count(*)::text FROM snapshot GROUP BY 1 ORDER BY 1")
                    .entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", "));
            long oomKills = oomKills(cgroup);
            Peaks p = peaks[0];
            Benchmarks.log("anonymous memory by program at the peak: " + p.anonByProgram().entrySet().stream()
                    .map(e -> e.getKey() + " " + mib(e.getValue())).collect(java.util.stream.Collectors.joining(", ")));
            return String.format(Locale.ROOT, "| 1 (%s) | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s |", String.join(" ", jvm),
                    verifyUrl.isEmpty() ? "its own embedded PostgreSQL" : "VERIFY_POSTGRES_URL (outside the dyno)", addons, partMb >= 160 ? "all 160 MiB" : "from " + partMb + " MiB", limitMb > 0 ? limitMb + " MiB" : "none",
                    mib(p.rssAndShmem()), mib(p.rss()), mib(p.shmem()), mib(p.java()), mib(p.usage()), p.processes(), oomKills,
                    verdicts.isEmpty() ? "none" : verdicts);
        }
    }

    /** The cgroup's memory now: memory.stat's counters (bytes), usage with page cache, the JVM's own resident set. */
    private static Peaks sample(Path cgroup, long javaPid) throws IOException {
        var stat = new HashMap<String, Long>();
        for (String line : Files.readAllLines(cgroup.resolve("memory.stat"))) {
            String[] fields = line.split(" ");
            stat.put(fields[0], Long.parseLong(fields[1]));
        }
        long usage = Long.parseLong(Files.readString(cgroup.resolve("memory.usage_in_bytes")).trim());
        long rss = stat.getOrDefault("total_rss", 0L);
        long shmem = stat.getOrDefault("total_shmem", 0L);
        var pids = Files.readAllLines(cgroup.resolve("cgroup.procs"));
        var anonByProgram = new java.util.TreeMap<String, Long>();
        for (String pid : pids) {
            try {
                String program = Files.readString(Path.of("/proc", pid, "comm")).trim();
                anonByProgram.merge(program, statusBytes(Long.parseLong(pid), "RssAnon:"), Long::sum);
            } catch (IOException e) {
                // ended meanwhile
            }
        }
        return new Peaks(usage, rss + shmem, rss, shmem, stat.getOrDefault("total_cache", 0L), statusBytes(javaPid, "VmRSS:"),
                pids.size(), anonByProgram);
    }

    /** A size from /proc/PID/status ({@code VmRSS:}, {@code RssAnon:}), in bytes; 0 once the process is gone. */
    private static long statusBytes(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    private static long oomKills(Path cgroup) throws IOException {
        for (String line : Files.readAllLines(cgroup.resolve("memory.oom_control"))) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring("oom_kill ".length()).trim());
            }
        }
        return -1;
    }

    private static void removeWhenEmpty(Path cgroup) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try {
                Files.delete(cgroup);
                return;
            } catch (IOException e) {
                Thread.sleep(200); // the processes' exit is still being accounted
            }
        }
        Benchmarks.log("could not remove " + cgroup);
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
