package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobus.dump.DatabaseUrl;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots of a real database made by pg_dump 15 here with {@code -Z0} and compressed by the
 * service: plain pg_restore reads them (from a file, from stdin, with -j 2) and prints the same
 * SQL as from pg_dump's own {@code -Z1} archive; rows are counted exactly on the way.
 */
class PgArchiveStreamTest {
    private static final CompressionThreads THREADS = CompressionThreads.of(2, 1);
    private static String source;
    private static String database;
    @TempDir
    static Path work;

    @BeforeAll
    static void awkwardDatabase() throws Exception {
        source = TestDatabase.create("archive_source");
        database = source.substring(source.lastIndexOf('/') + 1);
        try (var db = SourceDatabases.postgres(source); var sql = db.createStatement()) {
            sql.execute("CREATE TABLE lines (id int PRIMARY KEY, body text, raw bytea)");
            sql.execute("INSERT INTO lines VALUES (1, E'two\\nlines', '\\x00ff0a'), (2, E'tab\\there\\\\ and a backslash', NULL),"
                    + " (3, E'\\r\\n carriage return', '\\x0a0a'), (4, '', '')");
            sql.execute("CREATE TABLE empty_one (id int)");
            sql.execute("CREATE SCHEMA \"Odd Schema\"");
            sql.execute("CREATE TABLE \"Odd Schema\".\"Mixed\"\"Case\" (v text)");
            sql.execute("INSERT INTO \"Odd Schema\".\"Mixed\"\"Case\" SELECT 'value ' || g FROM generate_series(1, 1000) g");
            sql.execute("CREATE TABLE big (id bigint, label text)");
            sql.execute("INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 1200000) g");
            sql.execute("SELECT lo_from_bytea(0, convert_to(repeat('large object ', 100000), 'UTF8'))");
            sql.execute("ANALYZE");
        }
    }

    @Test
    void the_compressed_archive_restores_like_pg_dumps_own_and_every_table_is_counted_exactly() throws Exception {
        Path ours = work.resolve("ours.dump");
        DatabaseStatistics statistics;
        try (Dump dump = dumper().start(DatabaseUrl.parse(source), InetAddress.getLoopbackAddress(), DumpOptions.DEFAULT)) {
            try (InputStream in = dump.output()) {
                Files.copy(in, ours);
            }
            statistics = dump.statistics();
            assertThat(dump.progress().view().bytes()).as("the data passed").isGreaterThan(1_200_000L * 40);
            assertThat(dump.progress().view().table()).as("none once the dump ended").isNull();
            assertThat(dump.archiveVersion()).isEqualTo("1.14");
        }
        Path theirs = work.resolve("theirs.dump");
        assertThat(SourceDatabases.run(List.of("pg_dump", "-Fc", "-Z1", "-h", "127.0.0.1", "-U", "postgres", "-f", theirs.toString(),
                database)).exit()).isZero();

        Path oursSql = work.resolve("ours.sql");
        Path theirsSql = work.resolve("theirs.sql");
        assertThat(SourceDatabases.run(List.of("pg_restore", "-f", oursSql.toString(), ours.toString())).exit()).isZero();
        assertThat(SourceDatabases.run(List.of("pg_restore", "-f", theirsSql.toString(), theirs.toString())).exit()).isZero();
        // Apart from the random key pg_restore (15.14 on) puts in its restrict and unrestrict meta-command lines.
        assertThat(withoutRestrictKey(oursSql)).as("the same SQL as pg_dump -Z1's archive").isEqualTo(withoutRestrictKey(theirsSql));
        assertThat(Files.size(oursSql)).isGreaterThan(1_200_000L * 40);
        assertThat(Files.size(ours)).as("compressed about as pg_dump -Z1 does").isLessThan(Files.size(theirs) * 105 / 100);

        Map<String, Long> rows = statistics.tables().stream()
                .collect(Collectors.toMap(DatabaseStatistics.TableStatistics::name, DatabaseStatistics.TableStatistics::rows));
        assertThat(rows).containsEntry("public.lines", 4L).containsEntry("public.empty_one", 0L)
                .containsEntry("Odd Schema.Mixed\"Case", 1000L).containsEntry("public.big", 1_200_000L);
        assertThat(statistics.tables()).allMatch(DatabaseStatistics.TableStatistics::rowsExact);

        for (List<String> restore : List.of(
                List.of("pg_restore", "--no-owner", "-h", "127.0.0.1", "-U", "postgres", "-d", "%s", ours.toString()),
                List.of("pg_restore", "--no-owner", "-j", "2", "-h", "127.0.0.1", "-U", "postgres", "-d", "%s", ours.toString()))) {
            String target = TestDatabase.create("archive_restore");
            String name = target.substring(target.lastIndexOf('/') + 1);
            var ran = SourceDatabases.run(restore.stream().map(arg -> arg.replace("%s", name)).toList());
            assertThat(ran.exit()).as(ran.output()).isZero();
            assertRestored(target);
        }
        String target = TestDatabase.create("archive_stdin");
        String name = target.substring(target.lastIndexOf('/') + 1);
        var fromStdin = SourceDatabases.run(List.of("cat", ours.toString()),
                List.of("pg_restore", "--no-owner", "-h", "127.0.0.1", "-U", "postgres", "-d", name));
        assertThat(fromStdin.exit()).as(fromStdin.output()).isZero();
        assertRestored(target);
    }

    @Test
    void level_0_stores_the_data_uncompressed_and_still_counts() throws Exception {
        var options = DumpOptions.fromJson("{\"exclude_tables\": [\"big\"], \"compression_level\": 0}");
        Path file = work.resolve("level0.dump");
        try (Dump dump = dumper().start(DatabaseUrl.parse(source), InetAddress.getLoopbackAddress(), options)) {
            try (InputStream in = dump.output()) {
                Files.copy(in, file);
            }
            assertThat(dump.statistics().tables()).anyMatch(t -> t.name().equals("public.lines") && t.rows() == 4 && t.rowsExact())
                    .anyMatch(t -> t.name().equals("public.big") && !t.rowsExact());
        }
        assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("value 1000\n");
        assertThat(SourceDatabases.run(List.of("pg_restore", "-f", "-", file.toString())).output()).contains("value 999");
    }

    @Test
    void a_truncated_archive_fails_reading_rather_than_ending_early() throws Exception {
        byte[] plain = plainArchive();
        for (int cut : new int[] {3, 200, plain.length / 2, plain.length - 3}) {
            var stream = new PgArchiveStream(new ByteArrayInputStream(plain, 0, cut), new DumpProgress(), THREADS.pool(), THREADS.blocksPerDump(), 1);
            assertThatThrownBy(stream::readAllBytes).as("cut at " + cut).isInstanceOf(IOException.class).hasMessageContaining("ended");
        }
    }

    @Test
    void compression_that_fails_fails_the_read_and_closing_lets_go_of_the_archive() throws Exception {
        java.util.concurrent.Executor failing = task -> {
            throw new java.util.concurrent.RejectedExecutionException("compression thread gone");
        };
        var closed = new java.util.concurrent.atomic.AtomicBoolean();
        var source = new java.io.FilterInputStream(new ByteArrayInputStream(plainArchive())) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
        var stream = new PgArchiveStream(source, new DumpProgress(), failing, 4, 1);
        assertThatThrownBy(stream::readAllBytes).hasMessageContaining("compression thread gone");
        stream.close();
        assertThat(closed).isTrue();
    }

    @Test
    void archives_of_versions_1_15_and_1_16_get_the_algorithm_byte_and_relkind_read() throws Exception {
        for (int minor : new int[] {15, 16}) {
            byte[] archive = SyntheticArchive.withTable(minor, "public", "t", "1\tone\n2\ttwo\n3\tthree\n");
            var progress = new DumpProgress();
            byte[] out = new PgArchiveStream(new ByteArrayInputStream(archive), progress, THREADS.pool(), THREADS.blocksPerDump(), 1).readAllBytes();

            assertThat(out[11]).as("1.%d: the algorithm byte says gzip", minor).isEqualTo((byte) 1);
            assertThat(progress.rowCounts()).containsEntry("public.t", 3L);
            assertThat(SyntheticArchive.dataOf(out, minor)).isEqualTo("1\tone\n2\ttwo\n3\tthree\n");
        }
    }

    /** The SQL's SHA-256 without its restrict and unrestrict meta-command lines. */
    private static String withoutRestrictKey(Path sql) throws Exception {
        var sha256 = java.security.MessageDigest.getInstance("SHA-256");
        try (var lines = Files.lines(sql, java.nio.charset.StandardCharsets.UTF_8)) {
            lines.filter(line -> !line.startsWith("\\restrict ") && !line.startsWith("\\unrestrict "))
                    .forEach(line -> sha256.update((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return java.util.HexFormat.of().formatHex(sha256.digest());
    }

    private static byte[] plainArchive() {
        Path file = work.resolve("plain-" + System.nanoTime() + ".dump");
        var ran = SourceDatabases.run(List.of("pg_dump", "-Fc", "-Z0", "-t", "lines", "-h", "127.0.0.1", "-U", "postgres", "-f",
                file.toString(), database));
        assertThat(ran.exit()).as(ran.output()).isZero();
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertRestored(String url) throws Exception {
        try (var db = SourceDatabases.postgres(url)) {
            assertThat(SourceDatabases.rows(db, "SELECT count(*) FROM big", "SELECT count(*) FROM \"Odd Schema\".\"Mixed\"\"Case\"",
                    "SELECT string_agg(body || coalesce(encode(raw, 'hex'), '-'), '|' ORDER BY id) FROM lines",
                    "SELECT length(lo_get(oid)) FROM pg_largeobject_metadata").stream().filter(line -> !line.startsWith("-- ")))
                    .containsExactly("1200000", "1000", "two\nlines00ff0a|tab\there\\ and a backslash-|\r\n carriage return0a0a|",
                            String.valueOf("large object ".length() * 100000));
        }
    }

    private static PostgresDumper dumper() {
        return new PostgresDumper(Tools.installed(work.resolve("tools")), THREADS);
    }

    /** Archives written by hand from pg_dump's definitions, for the versions no pg_dump here writes. */
    static final class SyntheticArchive {
        /** Head, a TOC of one TABLE DATA entry, and its data block in two uncompressed chunks. */
        static byte[] withTable(int minor, String schema, String table, String copyData) {
            var out = new ByteArrayOutputStream();
            out.writeBytes("PGDMP".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(1);
            out.write(minor);
            out.write(0);
            out.write(4); // intSize
            out.write(8); // offSize
            out.write(1); // custom format
            out.write(0); // compression algorithm: none
            for (int i = 0; i < 7; i++) {
                writeInt(out, i);
            }
            writeStr(out, "db");
            writeStr(out, "17.2");
            writeStr(out, "17.2");
            writeInt(out, 1);
            writeInt(out, 7); // dumpId
            writeInt(out, 1); // hadDumper
            writeStr(out, "0");
            writeStr(out, "0");
            writeStr(out, table);
            writeStr(out, "TABLE DATA");
            writeInt(out, 3); // SECTION_DATA
            writeStr(out, "");
            writeStr(out, "");
            writeStr(out, "COPY " + schema + "." + table + " (a, b) FROM stdin;\n");
            writeStr(out, schema);
            writeStr(out, null);
            writeStr(out, null);
            if (minor >= 16) {
                writeInt(out, 'r'); // relkind
            }
            writeStr(out, "postgres");
            writeStr(out, "false");
            writeStr(out, "6");
            writeStr(out, null);
            out.write(1); // offset not set
            out.writeBytes(new byte[8]);
            out.write(1); // BLK_DATA
            writeInt(out, 7);
            byte[] data = copyData.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int half = data.length / 2;
            writeInt(out, half);
            out.write(data, 0, half);
            writeInt(out, data.length - half);
            out.write(data, half, data.length - half);
            writeInt(out, 0);
            return out.toByteArray();
        }

        /** The one data entry of such an archive after compression, inflated. */
        static String dataOf(byte[] archive, int minor) throws IOException {
            var in = new java.io.DataInputStream(new ByteArrayInputStream(archive));
            byte[] all = in.readAllBytes();
            // The data block starts after the TOC: find BLK_DATA + dumpId 7 (sign 0, 7, 0, 0, 0) from the end of the TOC.
            byte[] marker = {1, 0, 7, 0, 0, 0};
            int at = lastIndexOf(all, marker) + marker.length;
            var compressed = new ByteArrayOutputStream();
            while (true) {
                int length = (all[at + 1] & 0xff) | (all[at + 2] & 0xff) << 8 | (all[at + 3] & 0xff) << 16 | (all[at + 4] & 0xff) << 24;
                at += 5;
                if (length == 0) {
                    break;
                }
                compressed.write(all, at, length);
                at += length;
            }
            try (var inflated = new InflaterInputStream(new ByteArrayInputStream(compressed.toByteArray()))) {
                return new String(inflated.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }

        private static int lastIndexOf(byte[] haystack, byte[] needle) {
            for (int i = haystack.length - needle.length; i >= 0; i--) {
                if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                    return i;
                }
            }
            throw new IllegalStateException("no data block");
        }

        private static void writeInt(ByteArrayOutputStream out, int value) {
            out.write(value < 0 ? 1 : 0);
            int magnitude = Math.abs(value);
            for (int i = 0; i < 4; i++) {
                out.write(magnitude >>> (8 * i) & 0xff);
            }
        }

        private static void writeStr(ByteArrayOutputStream out, String value) {
            if (value == null) {
                writeInt(out, -1);
                return;
            }
            byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            writeInt(out, bytes.length);
            out.writeBytes(bytes);
        }
    }
}
