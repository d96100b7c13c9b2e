package io.autobus.dump;

import io.autobus.dump.DatabaseUrl;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What counting the rows of a MySQL/MariaDB dump in flight costs (bench/mysql-counting): the
 * pipeline before it, {@code mariadb-dump | sed | pigz -1} joined by the operating system, against
 * the service's dump stage, where Java reads between sed and pigz and counts every INSERT's tuples
 * ({@link MysqlRowCounter}); both to a file, side by side, medians of N runs, alternating.
 *
 *   java ... io.autobus.dump.MysqlCountingBench DATABASE RUNS
 */
public final class MysqlCountingBench {
    private MysqlCountingBench() {
    }

    public static void main(String[] args) throws Exception {
        String database = args[0];
        int runs = Integer.parseInt(args[1]);
        Path work = Files.createTempDirectory("autobus-mysql-counting-bench");
        Path out = work.resolve("out.sql.gz");
        var dumper = new MysqlDumper(Tools.installed(work.resolve("tools")));
        var osPipeline = new ArrayList<Double>();
        var service = new ArrayList<Double>();
        long osBytes = 0;
        long serviceBytes = 0;
        long rows = 0;
        for (int run = 0; run < runs; run++) {
            osPipeline.add(seconds(() -> osPipeline(database, out)));
            osBytes = Files.size(out);
            var counted = new long[1];
            service.add(seconds(() -> counted[0] = serviceDump(dumper, database, out)));
            serviceBytes = Files.size(out);
            rows = counted[0];
        }
        double before = median(osPipeline);
        double after = median(service);
        System.out.printf(Locale.ROOT, "%s: %,d rows counted in flight%n%n", database, rows);
        System.out.println("| what | median s | bytes |");
        System.out.println("|---|---|---|");
        System.out.printf(Locale.ROOT, "| `mariadb-dump \\| sed \\| pigz -1` joined by the OS (before counting) | %.1f | %,d |%n", before, osBytes);
        System.out.printf(Locale.ROOT, "| Autobus dump stage (Java counts between sed and pigz) | %.1f (**%.2f×**) | %,d |%n",
                after, after / before, serviceBytes);
        System.exit(0);
    }

    private interface Run {
        void run() throws Exception;
    }

    private static double seconds(Run run) throws Exception {
        long start = System.nanoTime();
        run.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        var sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** The commands MysqlDumper runs for a MariaDB server on this machine with no exclusions, joined without Java. */
    private static void osPipeline(String database, Path file) throws Exception {
        var dump = new ProcessBuilder("mariadb-dump", "--user=root", "--protocol=TCP", "--host=127.0.0.1", "--port=3306",
                "--single-transaction", "--quick", "--hex-blob", "--default-character-set=utf8mb4", "--no-tablespaces",
                "--skip-ssl", "--routines", "--triggers", "--events", "--", database);
        var sed = new ProcessBuilder(MysqlDumper.WITHOUT_SANDBOX_LINE);
        var pigz = new ProcessBuilder("pigz", "-c", "-n", "-1").redirectOutput(file.toFile());
        var processes = ProcessBuilder.startPipeline(List.of(dump, sed, pigz));
        for (Process process : processes) {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(process.info().command().orElse("?") + " failed: "
                        + new String(process.getErrorStream().readAllBytes()));
            }
        }
    }

    /** One dump through the service's stage to a file; the rows it counted. */
    private static long serviceDump(MysqlDumper dumper, String database, Path file) throws Exception {
        try (Dump dump = dumper.start(DatabaseUrl.parse("mysql://root@127.0.0.1:3306/" + database),
                InetAddress.getLoopbackAddress(), DumpOptions.DEFAULT);
             InputStream in = dump.output();
             OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
            return dump.statistics().tables().stream().mapToLong(DatabaseStatistics.TableStatistics::rows).sum();
        }
    }
}
