package io.autobus.dump;

import io.autobus.backup.MeasuredInputStream;
import io.autobus.dump.DatabaseUrl;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PostgreSQL snapshot compression side by side, medians of N runs (bench/compression): plain
 * {@code pg_dump -Fc -f FILE} (its default level), {@code pg_dump -Fc -Z1}, {@code -Z0} (the floor:
 * no compression at all), and the service's dump stage (pg_dump -Z0 read by PgArchiveStream,
 * level 1 on 1 and on all threads, SHA-256 as on the way to the store) to a file; then the
 * compressor alone on the -Z0 archive read from a file, per thread count, for the model; and the
 * heap in use after GC, sampled while each service dump runs.
 *
 *   java ... io.autobus.dump.CompressionBench DATABASE RUNS [service]
 * With {@code service}, only the service's dump stage on all threads (the heap figure for a larger database), as a lone
 * dump and with the blocks in flight a worker of 4 threads gives each dump.
 */
public final class CompressionBench {
    private CompressionBench() {
    }

    private interface Run {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String database = args[0];
        int runs = Integer.parseInt(args[1]);
        Path work = Files.createTempDirectory("autobus-compression-bench");
        Path out = work.resolve("out.dump");
        int cores = Runtime.getRuntime().availableProcessors();
        long dataBytes = tableBytes(database);
        var table = new ArrayList<String>();
        if (args.length > 2 && args[2].equals("service")) {
            // A lone dump with the pool to itself, and one with the blocks a worker gives each of its 4 dumps by default.
            for (int dumpsAtOnce : new int[] {1, 4}) {
                var compression = CompressionThreads.of(cores, dumpsAtOnce);
                var dumper = new PostgresDumper(Tools.installed(work.resolve("tools")), compression);
                var heap = new AtomicLong();
                double seconds = median(runs, () -> heap.accumulateAndGet(serviceDump(dumper, database, out), Math::max));
                System.out.printf(Locale.ROOT, "%s (%,d bytes in its tables): service dump stage on %d threads, %d blocks in flight"
                                + " (%d dumps sharing them at most) %.1f s, %,d bytes, heap after GC at most %d MiB while dumping%n", database,
                        dataBytes, cores, compression.blocksPerDump(), dumpsAtOnce, seconds, Files.size(out), heap.get() / (1024 * 1024));
                compression.pool().shutdown();
            }
            System.exit(0);
        }

        double plain = median(runs, () -> pgDump(database, out, List.of()));
        table.add(row("plain `pg_dump -Fc -f FILE`", plain, Files.size(out), plain, dataBytes, ""));
        double z1 = median(runs, () -> pgDump(database, out, List.of("-Z1")));
        long z1Bytes = Files.size(out);
        table.add(row("`pg_dump -Fc -Z1 -f FILE`", z1, z1Bytes, plain, dataBytes, ""));
        Path uncompressed = work.resolve("z0.dump");
        double z0 = median(runs, () -> pgDump(database, uncompressed, List.of("-Z0")));
        table.add(row("`pg_dump -Fc -Z0 -f FILE` (no compression: the floor)", z0, Files.size(uncompressed), plain, dataBytes, ""));

        int[] threadCounts = cores > 1 ? new int[] {1, cores} : new int[] {1};
        for (int threads : threadCounts) {
            var dumper = new PostgresDumper(Tools.installed(work.resolve("tools")), CompressionThreads.of(threads, 1));
            var heap = new AtomicLong();
            double seconds = median(runs, () -> heap.accumulateAndGet(serviceDump(dumper, database, out), Math::max));
            table.add(row("Autobus dump stage (pg_dump -Z0, level 1 on " + threads + " thread" + (threads > 1 ? "s" : "") + ")",
                    seconds, Files.size(out), plain, dataBytes, heap.get() / (1024 * 1024) + " MiB"));
        }
        for (int threads : threadCounts) {
            var compression = CompressionThreads.of(threads, 1);
            double seconds = median(runs, () -> {
                try (InputStream in = new PgArchiveStream(Files.newInputStream(uncompressed), new DumpProgress(), compression.pool(), compression.blocksPerDump(), 1)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            });
            table.add(row("compressor alone, level 1, " + threads + " thread" + (threads > 1 ? "s" : "") + " (-Z0 file in page cache)",
                    seconds, 0, plain, dataBytes, ""));
        }
        System.out.printf(Locale.ROOT, "%s: %,d bytes in its tables; %d cores%n%n", database, dataBytes, cores);
        System.out.println("| what | median s | × plain pg_dump | bytes | MB/s of table data | heap after GC (max while dumping) |");
        System.out.println("|---|---|---|---|---|---|");
        table.forEach(System.out::println);
        System.exit(0);
    }

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

    private static void pgDump(String database, Path file, List<String> extra) throws Exception {
        var command = new ArrayList<>(List.of("pg_dump", "-Fc", "-h", "127.0.0.1", "-U", "postgres", "-f", file.toString()));
        command.addAll(extra);
        command.add(database);
        if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("pg_dump failed");
        }
    }

    /** One dump through the service's stage to a file, as on the way to the store; the most heap in use after a GC meanwhile. */
    private static long serviceDump(PostgresDumper dumper, String database, Path file) throws Exception {
        var heap = new AtomicLong();
        var sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                heap.accumulateAndGet(heapAfterGc(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (Dump dump = dumper.start(DatabaseUrl.parse("postgres://postgres@127.0.0.1:5432/" + database),
                InetAddress.getLoopbackAddress(), DumpOptions.DEFAULT);
             var measured = new MeasuredInputStream(dump.output());
             OutputStream out = Files.newOutputStream(file)) {
            measured.transferTo(out);
            measured.sha256Hex();
            dump.statistics();
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        return heap.get();
    }

    /** The heap pools' usage after their latest collection. */
    private static long heapAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private static long tableBytes(String database) throws Exception {
        var process = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
                "SELECT sum(pg_table_size(oid)) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace", database).start();
        String text = new String(process.getInputStream().readAllBytes()).strip();
        process.waitFor();
        return Long.parseLong(text);
    }

    private static String row(String what, double seconds, long bytes, double plainSeconds, long dataBytes, String heap) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.2f× | %s | %.0f | %s |", what, seconds, seconds / plainSeconds,
                bytes == 0 ? "" : String.format(Locale.ROOT, "%,d", bytes), dataBytes / 1e6 / seconds, heap);
    }
}
