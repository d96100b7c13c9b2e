package io.autobus.storage;

import io.autobus.config.Settings;
import io.autobus.support.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Four uploads in their largest parts at once (four worker threads each on a dump over 140 GB) in a
 * JVM sized like a 512 MB dyno's ({@code bench/upload-memory} runs it with app.json's
 * {@code JAVA_OPTS}): the part buffers' budget, the heap and the process's
 * resident memory at their peaks. Every part is 160 MiB from the first, as past part 4,000.
 *
 * <p>Arguments: {@code [budget MiB, default AUTOBUS_UPLOAD_MEMORY_MB's] [MiB per upload, default 640]}.
 * A budget of 1920 is what four uploads held before the budget existed (three largest parts each).
 */
public final class UploadMemoryBench {
    private static final int MIB = PartSizes.MIB;

    public static void main(String[] args) throws Exception {
        int budgetMb = args.length > 0 ? Integer.parseInt(args[0]) : Settings.S3Settings.UPLOAD_MEMORY_MB;
        long bytesEach = (args.length > 1 ? Long.parseLong(args[1]) : 640) * MIB;
        var proxy = S3ProxyServer.shared();
        String bucket = proxy.createBucket("memory-bench");
        var memory = UploadMemory.ofMegabytes(budgetMb);
        var largestOnly = new PartSizes(160 * MIB, 0, 160 * MIB, 0, 160 * MIB);
        var peakRss = new AtomicLong();
        var peakHeap = new AtomicLong();
        var sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRss.accumulateAndGet(residentBytes(), Math::max);
                peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long started = System.nanoTime();
        try (var store = new S3SnapshotStore(proxy.clientBuilder("eu-west-1").build(),
                S3SnapshotStore.presigner(proxy.settings(bucket, bucket), "eu-west-1"), bucket, "eu-west-1", largestOnly, memory)) {
            var uploads = new ArrayList<CompletableFuture<Void>>();
            for (int i = 0; i < 4; i++) {
                String key = "upload-" + i;
                long seed = i;
                uploads.add(CompletableFuture.runAsync(() -> {
                    try {
                        store.put(key, new Incompressible(bytesEach, seed));
                        store.delete(key);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).join();
        } finally {
            sampler.interrupt();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("| %d MiB | %d × %d MiB | %d MiB | %d MiB | %d MiB | %d MB | %.0f MB/s |%n", budgetMb, 4, bytesEach / MIB,
                Runtime.getRuntime().maxMemory() / MIB, memory.peakLentBytes() / MIB, peakHeap.get() / MIB, peakRss.get() / 1_000_000,
                4 * bytesEach / 1e6 / seconds);
        System.exit(0);
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux: no figure
        }
        return 0;
    }

    /** Random bytes (as a compressed dump's), made as they are read. */
    private static final class Incompressible extends InputStream {
        private final SplittableRandom random;
        private long left;

        Incompressible(long size, long seed) {
            this.left = size;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            for (int i = 0; i < n; i += 8) {
                long word = random.nextLong();
                for (int j = i; j < Math.min(n, i + 8); j++) {
                    bytes[offset + j] = (byte) word;
                    word >>>= 8;
                }
            }
            left -= n;
            return n;
        }
    }
}
