package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The archive version from a custom archive's head, which pg_restore reads it, and how tools name themselves. */
class ArchiveHeaderTest {

    @Test
    void the_version_is_bytes_five_and_six_after_the_magic() {
        byte[] head = {'P', 'G', 'D', 'M', 'P', 1, 14, 0};

        assertThat(ArchiveHeader.version(head)).contains("1.14");
        assertThat(ArchiveHeader.version(new byte[] {'P', 'G', 'D', 'M', 'P', 1, 16, 0})).contains("1.16");
    }

    @Test
    void anything_else_has_no_archive_version() {
        assertThat(ArchiveHeader.version("-- MariaDB dump".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(ArchiveHeader.version(new byte[] {'P', 'G', 'D'})).isEmpty();
        assertThat(ArchiveHeader.version(null)).isEmpty();
    }

    @ParameterizedTest(name = "archive {0} is read by pg_restore {1} and newer")
    @CsvSource({"1.14, 12", "1.15, 16", "1.16, 17", "1.17, 2147483647"})
    void each_archive_version_has_an_oldest_reader(String version, int oldest) {
        assertThat(ArchiveHeader.oldestReader(version)).isEqualTo(oldest);
    }

    @Test
    void the_stated_restore_rule_is_the_pg_dump_major_or_newer() {
        assertThat(ArchiveHeader.restoreWith(15)).isEqualTo("pg_restore 15 or newer");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)                   | pg_dump      | pg_dump 15.14
            pg_dump (PostgreSQL) 18.1 (Ubuntu 18.1-1.pgdg24.04+2)                  | pg_dump      | pg_dump 18.1
            mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu | mariadb-dump | mariadb-dump 10.11.19-MariaDB
            mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server)     | mysqldump    | mysqldump 8.0.36
            nothing to see                                                         | gzip         | gzip
            """)
    void tools_are_recorded_by_name_and_version(String output, String name, String described) {
        assertThat(Tools.describe(name, output)).isEqualTo(described);
    }
}
