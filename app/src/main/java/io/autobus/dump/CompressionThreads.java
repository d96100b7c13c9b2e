package io.autobus.dump;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that compress snapshots ({@code AUTOBUS_COMPRESSION_THREADS}), one pool per
 * process shared by its backups: several backups at once share the cores rather than each
 * taking all of them. Daemon threads, idle when nothing is dumped.
 *
 * @param blocksPerDump the 1 MiB blocks one dump may have compressing or waiting: twice its share of the threads when
 *                      every worker thread dumps at once, so that the blocks of all of them stay few whatever the
 *                      processor count the JVM sees (8 on a shared Heroku dyno); but at least 4 (or twice the
 *                      threads, if fewer): with 2, a lone dump on 2 threads took 9.6 s instead of 8.8 s
 */
public record CompressionThreads(ExecutorService pool, int blocksPerDump) {

    /**
     * @param threads     the pool's threads
     * @param dumpsAtOnce the most dumps that share them ({@code AUTOBUS_WORKER_THREADS})
     */
    public static CompressionThreads of(int threads, int dumpsAtOnce) {
        var number = new AtomicInteger();
        return new CompressionThreads(Executors.newFixedThreadPool(threads,
                task -> Thread.ofPlatform().daemon().name("autobus-compress-" + number.incrementAndGet()).unstarted(task)),
                Math.min(2 * threads, Math.max(4, 2 * threads / Math.max(1, dumpsAtOnce))));
    }
}
