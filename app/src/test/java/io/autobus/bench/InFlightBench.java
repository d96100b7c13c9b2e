package io.autobus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Verification in flight against verification after upload, on the same data in one run:
 * from the snapshot's request to its verdict, the snapshot's own time (dump and upload, with the
 * tee or without), the service's peak RSS, and the bytes read back from the store. Started by
 * {@code bench/verify-in-flight}; prints a Markdown table.
 *
 * <pre>java io.autobus.bench.InFlightBench --jar app/target/autobus.jar --runs 2 postgres:autobus_bench_pg_68 ...</pre>
 */
public final class InFlightBench {
    private record Run(DataSet data, String mode, double toVerdictSeconds, double snapshotSeconds, long peakKb, long sizeBytes,
                       String verdict) {
    }

    private InFlightBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        int runs = 1;
        var sets = new ArrayList<DataSet>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> sets.add(DataSet.parse(args[i]));
            }
        }
        var environment = new HashMap<>(Benchmarks.serviceEnvironment("inflight"));
        environment.put("VERIFY_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql");
        Path work = Files.createTempDirectory("autobus-inflight");
        var results = new ArrayList<Run>();
        for (int run = 1; run <= runs; run++) {
            for (String mode : List.of("off", "on")) { // each mode on a fresh service; modes alternate between runs
                environment.put("AUTOBUS_VERIFY_IN_FLIGHT", mode);
                Benchmarks.freshMetadata();
                try (var service = BenchService.start(jar, Files.createDirectories(work.resolve(mode + run)), environment)) {
                    var customer = Customer.provision(service);
                    customer.scheduleAwayFromNow();
                    for (DataSet data : sets) {
                        customer.attach(data.attachName(), data.url());
                    }
                    for (DataSet data : sets) {
                        Benchmarks.log("run " + run + ", in flight " + mode + ", " + data.label());
                        results.add(measure(service, customer, data, mode));
                        Benchmarks.log(results.getLast().toString());
                    }
                }
            }
        }
        System.out.println(table(sets, results));
    }

    private static Run measure(BenchService service, Customer customer, DataSet data, String mode) throws Exception {
        try (var memory = service.sampleMemory()) {
            long started = System.nanoTime();
            String id = customer.awaitCompleted(customer.requestSnapshot(data.configVar()));
            var snapshot = customer.awaitVerified(id);
            double toVerdict = (System.nanoTime() - started) / 1e9;
            customer.delete(id);
            return new Run(data, mode, toVerdict, snapshot.path("duration_ms").asLong() / 1000.0, memory.peakKb(),
                    snapshot.path("size").asLong(), snapshot.path("verification").path("status").asText() + ": "
                    + snapshot.path("verification").path("detail").asText());
        }
    }

    /** Medians per data set and mode, and the ratios the issue asks about. */
    private static String table(List<DataSet> sets, List<Run> runs) {
        var out = new StringBuilder("| Data | Request → verdict, after upload | in flight | ratio | Snapshot (dump + upload), without tee"
                + " | with tee | ratio | Peak RSS off / on | Bytes read back from the store per snapshot, off / on |\n|---|---|---|---|---|---|---|---|---|\n");
        for (DataSet data : sets) {
            Map<String, List<Run>> byMode = new HashMap<>();
            runs.stream().filter(r -> r.data().equals(data)).forEach(r -> byMode.computeIfAbsent(r.mode(), k -> new ArrayList<>()).add(r));
            var off = byMode.get("off");
            var on = byMode.get("on");
            double verdictOff = median(off.stream().map(Run::toVerdictSeconds).toList());
            double verdictOn = median(on.stream().map(Run::toVerdictSeconds).toList());
            double snapshotOff = median(off.stream().map(Run::snapshotSeconds).toList());
            double snapshotOn = median(on.stream().map(Run::snapshotSeconds).toList());
            long size = off.getFirst().sizeBytes();
            out.append(String.format(Locale.ROOT, "| %s `%s` | %.1f s | %.1f s | **%.2f×** | %.1f s | %.1f s | **%.2f×** | %d / %d MB | %d MB / 0 |%n",
                    data.label(), data.database(), verdictOff, verdictOn, verdictOn / verdictOff, snapshotOff, snapshotOn, snapshotOn / snapshotOff,
                    off.stream().mapToLong(Run::peakKb).max().orElse(0) / 1024, on.stream().mapToLong(Run::peakKb).max().orElse(0) / 1024,
                    size / 1_000_000));
            on.forEach(r -> out.append("<!-- in flight: ").append(r.verdict().replace("--", "-")).append(" -->\n"));
        }
        return out.toString();
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    }
}
