package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The expectation follows the server's sizes and row estimates, not the dump's encoding of them. */
class DumpProgressTest {

    @Test
    void a_table_whose_dump_is_twice_its_size_on_disk_is_half_done_at_half_its_rows() {
        var progress = new DumpProgress();
        progress.tableSizes(Map.of("public.blobs", 1000L, "public.small", 1000L, "public.excluded", 5000L));
        progress.tableRowEstimates(Map.of("public.blobs", 10L, "public.small", 100L));
        progress.dumpedTables(Set.of("public.blobs", "public.small"));
        assertThat(progress.view().expectedBytes()).as("before any data: the sizes of the dumped tables").isEqualTo(2000L);

        progress.enter("public.blobs");
        progress.addBytes(1000); // hex: 1,000 bytes of dump for 500 on disk
        progress.addRows("public.blobs", 5);

        assertThat(progress.view().expectedBytes()).as("a quarter done (half of one of two equal tables)").isEqualTo(4000L);
        assertThat(progress.view().table()).isEqualTo("public.blobs");

        progress.addBytes(1000);
        progress.addRows("public.blobs", 5);
        progress.enter("public.small");
        progress.addBytes(100);
        progress.addRows("public.small", 50);

        assertThat(progress.view().expectedBytes()).as("three quarters done").isEqualTo(2800L);
        progress.finished();
        assertThat(progress.view().table()).isNull();
        assertThat(progress.rowCounts()).containsExactlyInAnyOrderEntriesOf(Map.of("public.blobs", 10L, "public.small", 50L));
    }

    @Test
    void without_a_row_estimate_the_tables_bytes_against_its_size_say_how_far_it_is() {
        var progress = new DumpProgress();
        progress.tableSizes(Map.of("a", 1000L, "b", 1000L));
        progress.enter("a");
        progress.addBytes(500);

        assertThat(progress.view().expectedBytes()).isEqualTo(2000L);
        assertThat(new DumpProgress().view().expectedBytes()).as("unknown before the sizes").isNull();
    }
}
