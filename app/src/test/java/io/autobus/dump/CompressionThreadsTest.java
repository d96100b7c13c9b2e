package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The blocks a dump may have in flight stay few when a worker's dumps share the threads. */
class CompressionThreadsTest {

    @Test
    void four_dumps_sharing_the_8_threads_a_heroku_dyno_shows_have_4_blocks_each_and_a_lone_dump_twice_its_threads() {
        assertBlocksPerDump(8, 4, 4, "16 MiB for four dumps, not 16 each");
        assertBlocksPerDump(8, 1, 16, "a lone dump keeps every thread busy");
        assertBlocksPerDump(2, 4, 4, "never fewer than 4: with 2, the threads wait for the reader");
        assertBlocksPerDump(1, 4, 2, "twice the threads when there are fewer");
    }

    private static void assertBlocksPerDump(int threads, int dumpsAtOnce, int blocks, String why) {
        var compression = CompressionThreads.of(threads, dumpsAtOnce);
        try {
            assertThat(compression.blocksPerDump()).as(why).isEqualTo(blocks);
        } finally {
            compression.pool().shutdown();
        }
    }
}
