package io.autobus.bench;

import io.autobus.bench.Results.Api;
import io.autobus.bench.Results.Backup;
import io.autobus.bench.Results.Group;
import io.autobus.bench.Results.GroupResult;
import io.autobus.bench.Results.Provisioning;
import io.autobus.support.HerokuPartner;
import io.autobus.support.HttpDriver;
import io.autobus.support.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every benchmark of docs/BENCHMARKS.md in one run, against the packaged jar started the way
 * users start it (web and worker in one process, {@code -Xmx256m}), S3Proxy on loopback as the
 * store, and the local PostgreSQL and MariaDB. Started by {@code bench/run}, which prepares the
 * data sets; see there for the options.
 */
public final class Benchmarks {
    private static final String META = "autobus_bench_meta";
    private static final String RESTORED = "autobus_bench_restored";
    /** The app name the bench customer signs in with (DashboardSession), which whole restores are confirmed with. */
    private static final String BENCH_APP = "bench-app";

    private final Options options;
    private final Path work;
    private final Map<String, String> environment;

    private Benchmarks(Options options, Path work, Map<String, String> environment) {
        this.options = options;
        this.work = work;
        this.environment = environment;
    }

    public static void main(String[] args) throws Exception {
        var options = Options.parse(args);
        var environment = serviceEnvironment("bench");
        var benchmarks = new Benchmarks(options, Files.createTempDirectory("autobus-bench"), environment);

        var groups = new ArrayList<GroupResult>();
        for (Group group : options.groups) {
            groups.add(benchmarks.backups(group));
        }
        // --api-snapshots 0 or --addons 0 leave those benchmarks out (when profiling one of the others)
        Api api = options.apiSnapshots > 0 ? benchmarks.api() : null;
        Provisioning provisioning = options.addons > 0 ? benchmarks.provisioning() : null;
        Report.write(options.out, new Report.Context(options.runs, Report.machine(options.groups)),
                groups, api, provisioning);
        log("results written to " + options.out);
        System.exit(0);
    }

    /** Each data set of the group, {@code runs} times: plain tool, then Autobus, then its restore. */
    private GroupResult backups(Group group) throws Exception {
        var sizes = new LinkedHashMap<DataSet, Long>();
        var sourceCounts = new HashMap<DataSet, Map<String, Long>>();
        for (DataSet data : group.dataSets()) {
            sizes.put(data, data.sizeBytes());
            sourceCounts.put(data, data.rowCounts(data.database()));
        }
        var backups = new ArrayList<Backup>();
        try (var service = freshService(group.name())) {
            var customer = Customer.provision(service);
            customer.scheduleAwayFromNow();
            for (DataSet data : group.dataSets()) {
                customer.attach(data.attachName(), data.url());
                data.createEmpty(RESTORED); // attaching tests the connection: the database must be there
                customer.attach(restoreTarget(data), data.urlOf(RESTORED));
                data.drop(RESTORED);
            }
            for (int run = 1; run <= options.runs; run++) {
                for (DataSet data : group.dataSets()) {
                    log(group.name() + ", " + data.label() + ", run " + run + " of " + options.runs);
                    Backup backup = backup(service, customer, data, sourceCounts.get(data));
                    log(backup.toString());
                    backups.add(backup);
                }
            }
        }
        return new GroupResult(group, sizes, backups);
    }

    private Backup backup(BenchService service, Customer customer, DataSet data, Map<String, Long> sourceCounts) throws Exception {
        Path plainFile = work.resolve("plain.dump");
        double plainSeconds = data.plainDump(plainFile);
        long plainBytes = Files.size(plainFile);
        Files.delete(plainFile);

        String id;
        double autobusSeconds;
        long peakKb;
        try (var memory = service.sampleMemory()) {
            long started = System.nanoTime();
            id = customer.awaitCompleted(customer.requestSnapshot(data.configVar()));
            autobusSeconds = (System.nanoTime() - started) / 1e9;
            peakKb = memory.peakKb();
        }
        var snapshot = customer.awaitVerified(id);

        Path file = work.resolve(snapshot.path("file_name").asText());
        customer.download(snapshot.path("download_url").asText(), file);
        double restoreSeconds = data.plainRestore(file, RESTORED);
        var restoredCounts = data.rowCounts(RESTORED);
        if (!restoredCounts.equals(sourceCounts)) {
            throw new IllegalStateException("the snapshot restored " + restoredCounts + ", the database has " + sourceCounts);
        }
        data.createEmpty(RESTORED);
        long restoreStarted = System.nanoTime();
        customer.restore(id, restoreTarget(data) + "_URL", BENCH_APP);
        double serviceRestoreSeconds = (System.nanoTime() - restoreStarted) / 1e9;
        var serviceRestoredCounts = data.rowCounts(RESTORED);
        if (!serviceRestoredCounts.equals(sourceCounts)) {
            throw new IllegalStateException("the service's restore gave " + serviceRestoredCounts + ", the database has " + sourceCounts);
        }
        data.drop(RESTORED);
        Files.delete(file);
        customer.delete(id);
        return new Backup(data, plainSeconds, plainBytes, autobusSeconds, snapshot.path("duration_ms").asLong() / 1000.0,
                snapshot.path("size").asLong(), peakKb, snapshot.path("verification").path("duration_ms").asLong() / 1000.0,
                snapshot.path("verification").path("status").asText(), restoreSeconds, serviceRestoreSeconds);
    }

    /** {@code GET /api/snapshots} of an add-on with {@code apiSnapshots} snapshots, under wrk. */
    private Api api() throws Exception {
        try (var service = freshService("api")) {
            var customer = Customer.provision(service);
            customer.scheduleAwayFromNow();
            customer.attach(options.apiData.attachName(), options.apiData.url());
            String id = customer.awaitCompleted(customer.requestSnapshot(options.apiData.configVar()));
            customer.awaitVerified(id);
            copySnapshot(id, options.apiSnapshots - 1);
            int pageSize = customer.send("GET", "/api/snapshots", null).size();
            int total = customer.send("GET", "/api/snapshots?limit=500&offset=" + (options.apiSnapshots - 1), null).size();
            if (pageSize != Math.min(100, options.apiSnapshots) || total != 1) {
                throw new IllegalStateException("the add-on does not list " + options.apiSnapshots + " snapshots");
            }
            String url = service.baseUrl() + "/api/snapshots";
            log("wrk: warm-up");
            wrk(url, customer.key(), Math.max(1, options.apiSeconds / 3));
            log("wrk: " + options.apiConnections + " connections, " + options.apiSeconds + " s");
            String output = wrk(url, customer.key(), options.apiSeconds);
            log(output);
            return new Api(options.apiSnapshots, pageSize, options.apiConnections, options.apiSeconds,
                    number(output, "Requests/sec:\\s+([\\d.]+)"), latency(output, "50%"), latency(output, "90%"),
                    latency(output, "99%"), latencyOf(find(output, "Latency\\s+\\S+\\s+\\S+\\s+(\\S+)")),
                    (long) number(output, "(\\d+) requests in"), errors(output));
        }
    }

    private String wrk(String url, String key, int seconds) throws Exception {
        return DataSet.output(List.of("wrk", "-t2", "-c" + options.apiConnections, "-d" + seconds + "s", "--latency",
                "-H", "Authorization: Bearer " + key, url));
    }

    /** Copies a real snapshot row {@code copies} times, an hour apart, as past daily runs. */
    private static void copySnapshot(String id, int copies) throws SQLException {
        try (Connection connection = meta(); var statement = connection.createStatement()) {
            var columns = new ArrayList<String>();
            try (var result = statement.executeQuery("SELECT column_name FROM information_schema.columns "
                    + "WHERE table_schema = 'public' AND table_name = 'snapshot' ORDER BY ordinal_position")) {
                while (result.next()) {
                    columns.add(result.getString(1));
                }
            }
            var values = columns.stream().map(column -> switch (column) {
                case "id" -> "substr(md5(random()::text || g), 1, 24)";
                case "job_id" -> "gen_random_uuid()";
                case "kind" -> "'daily'";
                case "created_at", "started_at", "finished_at", "verified_at" -> column + " - g * interval '1 hour'";
                default -> column;
            }).toList();
            statement.execute("INSERT INTO snapshot (" + String.join(", ", columns) + ") SELECT " + String.join(", ", values)
                    + " FROM snapshot, generate_series(1, " + copies + ") g WHERE id = '" + id + "'");
        }
    }

    /** {@code addons} provisions from {@code addonClients} concurrent clients, then their schedules. */
    private Provisioning provisioning() throws Exception {
        try (var service = freshService("provisioning")) {
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String auth = HttpDriver.basic("autobus", BenchService.PASSWORD);
            long[] latencies = new long[options.addons];
            var next = new AtomicInteger();
            var done = new AtomicInteger();
            var errors = new AtomicInteger();
            var memory = Collections.synchronizedList(new ArrayList<long[]>());
            var sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    memory.add(new long[] {done.get(), service.residentKb()});
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long started = System.nanoTime();
            try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int client = 0; client < options.addonClients; client++) {
                    clients.submit(() -> {
                        for (int i = next.getAndIncrement(); i < options.addons; i = next.getAndIncrement()) {
                            var request = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/heroku/resources"))
                                    .header("Authorization", auth).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(HerokuPartner.provisionBody(UUID.randomUUID(), "free",
                                            UUID.randomUUID().toString()))).build();
                            long sent = System.nanoTime();
                            var answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                            latencies[i] = System.nanoTime() - sent;
                            if (answer.statusCode() != 200 || !answer.body().contains("AUTOBUS_URL")) {
                                errors.incrementAndGet();
                            }
                            done.incrementAndGet();
                        }
                        return null;
                    });
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long finished = System.nanoTime();
            sampler.interrupt();
            sampler.join();
            long scheduled = 0;
            while (System.nanoTime() - finished < Duration.ofMinutes(5).toNanos()) {
                scheduled = count("SELECT count(*) FROM addon WHERE next_backup_at IS NOT NULL");
                if (scheduled >= options.addons) {
                    break;
                }
                Thread.sleep(500);
            }
            double scheduledAfter = (System.nanoTime() - finished) / 1e9;
            long[] sorted = Results.sorted(latencies);
            return new Provisioning(options.addons, options.addonClients, seconds, Results.percentile(sorted, 0.5),
                    Results.percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6, errors.get(), List.copyOf(memory),
                    scheduled, scheduledAfter);
        }
    }

    /** A new metadata database and a new service process, so each benchmark starts as a fresh install. */
    private BenchService freshService(String name) throws Exception {
        freshMetadata();
        Path home = Files.createDirectories(work.resolve(name.replaceAll("\\W+", "-")));
        return BenchService.start(options.jar, home, environment);
    }

    private static Connection meta() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + META + "?user=postgres");
    }

    private static long count(String query) throws SQLException {
        try (var connection = meta(); var result = connection.createStatement().executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static long errors(String wrk) {
        long errors = 0;
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(wrk);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(wrk);
        return non2xx.find() ? errors + Long.parseLong(non2xx.group(1)) : errors;
    }

    private static double latency(String wrk, String percentile) {
        return latencyOf(find(wrk, "\\s" + Pattern.quote(percentile) + "\\s+(\\S+)"));
    }

    /** wrk prints {@code 812.00us}, {@code 3.21ms} or {@code 1.02s}; in milliseconds. */
    private static double latencyOf(String text) {
        Matcher matcher = Pattern.compile("([\\d.]+)(us|ms|s|m)").matcher(text);
        if (!matcher.matches()) {
            throw new IllegalStateException("not a wrk latency: " + text);
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            default -> value * 60_000;
        };
    }

    private static double number(String text, String regex) {
        return Double.parseDouble(find(text, regex));
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + regex + " in:\n" + text);
        }
        return matcher.group(1);
    }

    /** Where the service restores a data set's snapshots: the empty database RESTORED on the same server. */
    private static String restoreTarget(DataSet data) {
        return "RESTORED_" + data.label().toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * The benchmarked service's environment: metadata in {@link #META} on the local PostgreSQL, S3Proxy as the store
     * (buckets {@code prefix-us} and {@code -eu}), verification on the local servers, and no API rate limit (the
     * benchmarks poll check_snapshot every 20 ms, and 100 clients hammering one token is the API benchmark's point).
     */
    static Map<String, String> serviceEnvironment(String prefix) {
        var s3 = S3ProxyServer.shared();
        var environment = new HashMap<String, String>();
        environment.put("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/" + META);
        environment.put("S3_BUCKET_US", s3.createBucket(prefix + "-us"));
        environment.put("S3_BUCKET_EU", s3.createBucket(prefix + "-eu"));
        environment.put("S3_ENDPOINT", s3.endpoint().toString());
        environment.put("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY);
        environment.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL);
        // Verification restores into the same local PostgreSQL that plain pg_restore is timed on.
        environment.put("VERIFY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres");
        environment.put("AUTOBUS_API_RATE_LIMIT", "100000000");
        return environment;
    }

    /** Drops and creates the service's metadata database, for a fresh service. */
    static void freshMetadata() throws SQLException {
        try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
             var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + META + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + META);
        }
    }

    static void log(String message) {
        System.err.println("==> " + message);
    }

    /** Command-line options; {@code bench/run} passes them all. */
    private record Options(Path out, Path jar, int runs, List<Group> groups, DataSet apiData, int apiSnapshots,
                           int apiSeconds, int apiConnections, int addons, int addonClients) {
        static Options parse(String[] args) {
            var values = new LinkedHashMap<String, String>();
            var groups = new ArrayList<Group>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (args[i].equals("--group")) {
                    String[] nameAndSets = args[i + 1].split("=", 2);
                    groups.add(new Group(nameAndSets[0], java.util.Arrays.stream(nameAndSets[1].split(",")).map(DataSet::parse).toList()));
                } else {
                    values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
                }
            }
            return new Options(Path.of(values.get("out")), Path.of(values.get("jar")), Integer.parseInt(values.get("runs")),
                    List.copyOf(groups), DataSet.parse(values.get("api-data")), Integer.parseInt(values.get("api-snapshots")),
                    Integer.parseInt(values.get("api-seconds")), Integer.parseInt(values.get("api-connections")),
                    Integer.parseInt(values.get("addons")), Integer.parseInt(values.get("addon-clients")));
        }
    }
}
