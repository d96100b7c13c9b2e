package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table of contents of a real pg_dump archive, and the tables its data blocks carry named as they pass. */
class PgArchiveWatcherTest {
    @TempDir
    Path work;

    @Test
    void each_tables_data_is_named_as_it_passes_compressed_or_not_with_a_large_object_between() throws Exception {
        String source = TestDatabase.create("watched");
        try (var connection = SourceDatabases.postgres(source); var sql = connection.createStatement()) {
            sql.execute("CREATE SCHEMA \"Billing Dept\"");
            sql.execute("CREATE TABLE \"Billing Dept\".\"Order Items\" (id int, line text)");
            sql.execute("INSERT INTO \"Billing Dept\".\"Order Items\" SELECT i, repeat('x', 500) FROM generate_series(1, 20000) i");
            sql.execute("CREATE TABLE empty (id int)");
            sql.execute("CREATE TABLE notes (id serial, note text)");
            sql.execute("INSERT INTO notes (note) SELECT 'n' || i FROM generate_series(1, 3000) i");
            sql.execute("SELECT lo_from_bytea(0, 'a large object')");
        }
        for (String compression : List.of("-Z0", "-Z1")) {
            Path archive = work.resolve("db" + compression + ".dump");
            SourceDatabases.run(List.of("pg_dump", "-Fc", compression, "-h", "127.0.0.1", "-U", "postgres", "-f", archive.toString(),
                    source.substring(source.lastIndexOf('/') + 1)));
            PgArchiveToc.Contents contents;
            try (InputStream in = Files.newInputStream(archive)) {
                contents = PgArchiveToc.contents(in);
            }
            assertThat(contents.entries()).filteredOn(e -> e.desc().equals("TABLE DATA")).extracting(e -> e.namespace() + "." + e.tag())
                    .containsExactly("Billing Dept.Order Items", "public.empty", "public.notes");
            int sequence = contents.entries().stream().filter(e -> e.desc().equals("SEQUENCE")).findFirst().orElseThrow().dumpId();
            assertThat(contents.entries()).filteredOn(e -> e.desc().equals("SEQUENCE OWNED BY")).singleElement()
                    .satisfies(e -> assertThat(e.dependencies()).containsExactly(sequence));

            var seen = new ArrayList<String>();
            try (var watcher = new PgArchiveWatcher(Files.newInputStream(archive), contents)) {
                byte[] buffer = new byte[1000];
                while (watcher.read(buffer) >= 0) {
                    if (watcher.table() != null && (seen.isEmpty() || !seen.getLast().equals(watcher.table()))) {
                        seen.add(watcher.table());
                    }
                }
                assertThat(watcher.table()).as(compression + ": nothing passes at the end").isNull();
            }
            assertThat(seen).as(compression).containsExactly("Billing Dept.Order Items", "public.notes");
        }
    }
}
