package io.autobus.bench;

import io.autobus.backup.MeasuredInputStream;
import io.autobus.db.DatabaseUrl;
import io.autobus.dump.CompressionThreads;
import io.autobus.dump.Dump;
import io.autobus.dump.DumpOptions;
import io.autobus.dump.Dumpers;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL snapshot compression side by side, medians of N runs (bench/compression):
 * plain {@code pg_dump -Fc -f FILE} (its default level), {@code pg_dump -Fc -Z1}, and the service's
 * dump stage (pg_dump -Z0 read by PgArchiveStream, compressed at level 1 on 1 and on all threads,
 * SHA-256 as on the way to the store) written to a file. Also the heap in use after GC once each
 * dump ended, to show memory does not follow the database's size.
 *
 *   java ... io.autobus.bench.CompressionBench DATABASE RUNS
 */
public final class CompressionBench {
    private CompressionBench() {
    }

    public static void main(String[] args) throws Exception {
        String database = args[0];
        int runs = Integer.parseInt(args[1]);
        Path work = Files.createTempDirectory("autobus-compression-bench");
        int cores = Runtime.getRuntime().availableProcessors();
        var rows = new ArrayList<String>();
        long dataBytes = tableBytes(database);
        double plain = median(runs, () -> pgDump(database, work, List.of()));
        long plainBytes = Files.size(work.resolve("out.dump"));
        double z1 = median(runs, () -> pgDump(database, work, List.of("-Z1")));
        long z1Bytes = Files.size(work.resolve("out.dump"));
        rows.add(row("plain `pg_dump -Fc -f FILE`", plain, plainBytes, plain, z1Bytes, dataBytes, null));
        rows.add(row("`pg_dump -Fc -Z1 -f FILE`", z1, z1Bytes, plain, z1Bytes, dataBytes, null));
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            var dumpers = Dumpers.installed(work.resolve("tools"), threads);
            long[] heap = new long[1];
            double seconds = median(runs, () -> {
                heap[0] = Math.max(heap[0], autobus(dumpers, database, work));
                return 0;
            });
            rows.add(row("Autobus dump stage, pg_dump -Z0 + level 1 on " + threads + " thread" + (threads > 1 ? "s" : ""),
                    seconds, Files.size(work.resolve("out.dump")), plain, z1Bytes, dataBytes, heap[0]));
        }
        System.out.println("| database | what | median seconds | × plain | bytes | × -Z1 bytes | MB/s of data | heap after GC |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(row -> System.out.println("| " + database + " (" + dataBytes / 1_000_000 + " MB of tables) " + row));
        System.exit(0);
    }

    private interface Run {
        long run() throws Exception;
    }

    /** Times each run; the median of the runs' seconds. */
    private static double median(int runs, Run run) throws Exception {
        var seconds = new ArrayList<Double>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            run.run();
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        seconds.sort(null);
        return seconds.get(seconds.size() / 2);
    }

    private static long pgDump(String database, Path work, List<String> extra) throws Exception {
        var command = new ArrayList<>(List.of("pg_dump", "-Fc", "-h", "127.0.0.1", "-U", "postgres", "-f", work.resolve("out.dump").toString()));
        command.addAll(extra);
        command.add(database);
        var process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pg_dump failed");
        }
        return 0;
    }

    /** One dump through the service's stage to a file; the heap in use after a GC at its end. */
    private static long autobus(Dumpers dumpers, String database, Path work) throws Exception {
        try (Dump dump = dumpers.postgres().start(DatabaseUrl.parse("postgres://postgres@127.0.0.1:5432/" + database),
                InetAddress.getLoopbackAddress(), DumpOptions.DEFAULT);
             var measured = new MeasuredInputStream(dump.output());
             OutputStream file = Files.newOutputStream(work.resolve("out.dump"))) {
            measured.transferTo(file);
            measured.sha256Hex();
            dump.statistics();
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    private static long tableBytes(String database) throws Exception {
        var process = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
                "SELECT sum(pg_table_size(oid)) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace", database).start();
        String out = new String(process.getInputStream().readAllBytes()).strip();
        process.waitFor();
        return Long.parseLong(out);
    }

    private static String row(String what, double seconds, long bytes, double plainSeconds, long z1Bytes, long dataBytes, Long heap) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.2f× | %,d | %.2f× | %.0f | %s |", what, seconds, seconds / plainSeconds, bytes,
                (double) bytes / z1Bytes, dataBytes / 1e6 / seconds, heap == null ? "" : heap / (1024 * 1024) + " MiB");
    }
}
