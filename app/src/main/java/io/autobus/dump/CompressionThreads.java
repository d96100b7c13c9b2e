package io.autobus.dump;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that compress snapshots ({@code AUTOBUS_COMPRESSION_THREADS}), one pool per
 * process shared by its backups: several backups at once share the cores rather than each
 * taking all of them. Daemon threads, idle when nothing is dumped.
 */
public record CompressionThreads(ExecutorService pool, int threads) {

    public static CompressionThreads of(int threads) {
        var number = new AtomicInteger();
        return new CompressionThreads(Executors.newFixedThreadPool(threads,
                task -> Thread.ofPlatform().daemon().name("autobus-compress-" + number.incrementAndGet()).unstarted(task)), threads);
    }
}
