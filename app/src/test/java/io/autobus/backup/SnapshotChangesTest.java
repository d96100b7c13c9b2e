package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.dump.DatabaseStatistics.TableStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotChangesTest {
    @Test
    void shows_tables_added_and_dropped_and_the_change_of_rows_and_size() {
        var yesterday = List.of(new TableStatistics("public.users", 100, true, 8192),
                new TableStatistics("public.old", 5, true, 1024));
        var today = List.of(new TableStatistics("public.users", 130, true, 16384),
                new TableStatistics("public.orders", 7, true, 2048));

        var changes = SnapshotChanges.between(50_000L, yesterday, 60_000L, today, io.autobus.dump.DumpOptions.DEFAULT);

        assertThat(changes.databaseSizeDelta()).isEqualTo(10_000L);
        assertThat(changes.tablesAdded()).containsExactly("public.orders");
        assertThat(changes.tablesDropped()).containsExactly("public.old");
        assertThat(changes.tables()).containsExactly(
                new SnapshotChanges.TableChange("public.orders", 7, null, 2048, null, true, null),
                new SnapshotChanges.TableChange("public.users", 130, 30L, 16384, 8192L, true, null));
    }

    @Test
    void the_first_snapshot_has_nothing_to_compare_with() {
        var changes = SnapshotChanges.between(null, List.of(), 60_000L, List.of(new TableStatistics("t", 1, true, 1)),
                io.autobus.dump.DumpOptions.DEFAULT);

        assertThat(changes.databaseSizeDelta()).isNull();
        assertThat(changes.tablesAdded()).isEmpty();
        assertThat(changes.tables()).singleElement().satisfies(t -> assertThat(t.rowsDelta()).isNull());
    }

    @Test
    void tables_the_snapshot_leaves_out_are_marked_by_what_it_leaves_out() {
        var tables = List.of(new TableStatistics("public.audit_log", 900, false, 81920), new TableStatistics("public.events", 40, false, 8192),
                new TableStatistics("public.users", 3, true, 8192));

        var changes = SnapshotChanges.between(null, List.of(), 60_000L, tables,
                io.autobus.dump.DumpOptions.fromJson("{\"exclude_tables\": [\"audit_*\"], \"exclude_table_data\": [\"public.events\"]}"));

        assertThat(changes.tables()).extracting(SnapshotChanges.TableChange::leftOut).containsExactly("table", "data", null);
    }
}
