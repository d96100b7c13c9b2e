package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which pg_restore restores into the verifier, as a matrix: archive version × verifier major ×
 * pg_restores installed → the one chosen, and whether its SET transaction_timeout error is ignored.
 */
class PgRestoreChoiceTest {

    @ParameterizedTest(name = "archive {0} into PostgreSQL {1} with pg_restore [{2}] -> pg_restore {3}, ignore transaction_timeout {4}")
    @CsvSource(delimiter = '|', textBlock = """
            1.14 | 14 | 14 15 16 17 18 | 14 | false
            1.14 | 15 | 14 15 16 17 18 | 15 | false
            1.15 | 16 | 14 15 16 17 18 | 16 | false
            1.16 | 17 | 14 15 16 17 18 | 17 | false
            1.16 | 18 | 14 15 16 17 18 | 18 | false
            1.14 | 14 | 15             | 15 | false
            1.14 | 15 | 15             | 15 | false
            1.14 | 14 | 15 18          | 15 | false
            1.14 | 16 | 15 17 18       | 15 | false
            1.15 | 16 | 16 17 18       | 16 | false
            1.15 | 16 | 17 18          | 17 | true
            1.16 | 16 | 17 18          | 17 | true
            1.16 | 14 | 15 17 18       | 17 | true
            1.14 | 17 | 15 18          | 18 | false
            1.14 | 14 | 18             | 18 | true
            """)
    void one_that_reads_the_archive_and_sends_nothing_the_server_refuses_nearest_the_servers_major(
            String archive, int server, String installed, int chosen, boolean ignore) {
        var choice = PgRestoreChoice.choose(archive, server, majors(installed));

        assertThat(choice).contains(new PgRestoreChoice.Choice(chosen, ignore));
    }

    @ParameterizedTest(name = "archive {0} with pg_restore [{1}]: none reads it")
    @CsvSource(delimiter = '|', textBlock = """
            1.16 | 15
            1.15 | 14 15
            1.17 | 14 15 16 17 18
            """)
    void an_archive_no_installed_pg_restore_reads_has_no_choice(String archive, String installed) {
        assertThat(PgRestoreChoice.choose(archive, 18, majors(installed))).isEmpty();
    }

    /** What pg_restore 17 prints restoring into PostgreSQL 16 (pg_backup_db.c: "could not execute query", pg_restore.c: "errors ignored on restore"). */
    private static final String REFUSED_SET = """
            pg_restore failed (exit 1): pg_restore: error: could not execute query: ERROR:  unrecognized configuration parameter "transaction_timeout"
            Command was: SET transaction_timeout = 0;
            pg_restore: warning: errors ignored on restore: 1""";

    @Test
    void only_the_refused_set_transaction_timeout_is_ignored() {
        assertThat(PgRestoreChoice.onlyTransactionTimeoutFailed(REFUSED_SET)).isTrue();
    }

    @Test
    void any_other_error_beside_it_still_fails_the_restore() {
        String more = """
                pg_restore failed (exit 1): pg_restore: error: could not execute query: ERROR:  unrecognized configuration parameter "transaction_timeout"
                Command was: SET transaction_timeout = 0;
                pg_restore: while PROCESSING TOC:
                pg_restore: from TOC entry 215; 1259 16390 TABLE items postgres
                pg_restore: error: could not execute query: ERROR:  type "vector" does not exist
                pg_restore: warning: errors ignored on restore: 2""";

        assertThat(PgRestoreChoice.onlyTransactionTimeoutFailed(more)).isFalse();
        assertThat(PgRestoreChoice.onlyTransactionTimeoutFailed(REFUSED_SET.replace("restore: 1", "restore: 2"))).isFalse();
        assertThat(PgRestoreChoice.onlyTransactionTimeoutFailed(REFUSED_SET.replace("(exit 1)", "(exit 137)"))).isFalse();
        assertThat(PgRestoreChoice.onlyTransactionTimeoutFailed("pg_restore failed (exit 1): pg_restore: error: input file is too short")).isFalse();
        assertThat(PgRestoreChoice.onlyTransactionTimeoutFailed(null)).isFalse();
    }

    private static List<Integer> majors(String list) {
        return Arrays.stream(list.trim().split("\\s+")).map(Integer::parseInt).toList();
    }
}
