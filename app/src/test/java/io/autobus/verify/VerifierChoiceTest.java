package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which PostgreSQL verifies a snapshot, as a matrix: source major × VERIFY_POSTGRES_URL_<N> set ×
 * VERIFY_POSTGRES_URL's major × embedded majors → the server (kind and major). "-" is none.
 */
class VerifierChoiceTest {
    private static final String EMBEDDED = "14 15 16 17 18";

    @ParameterizedTest(name = "source {0}, per-major URLs [{1}], catch-all {2}, embedded [{3}] -> {4} {5}")
    @CsvSource(delimiter = '|', textBlock = """
            14 | -     | -  | 14 15 16 17 18 | EMBEDDED      | 14
            15 | -     | -  | 14 15 16 17 18 | EMBEDDED      | 15
            16 | -     | -  | 14 15 16 17 18 | EMBEDDED      | 16
            17 | -     | -  | 14 15 16 17 18 | EMBEDDED      | 17
            18 | -     | -  | 14 15 16 17 18 | EMBEDDED      | 18
            13 | -     | -  | 14 15 16 17 18 | EMBEDDED      | 14
            12 | -     | -  | 14 15 16 17 18 | EMBEDDED      | 14
            15 | -     | 15 | 14 15 16 17 18 | CATCH_ALL_URL | 15
            14 | -     | 15 | 14 15 16 17 18 | EMBEDDED      | 14
            17 | -     | 15 | 14 15 16 17 18 | EMBEDDED      | 17
            19 | -     | 19 | 14 15 16 17 18 | CATCH_ALL_URL | 19
            13 | -     | 13 | 14 15 16 17 18 | CATCH_ALL_URL | 13
            14 | 14    | 14 | 14 15 16 17 18 | PER_MAJOR_URL | 14
            16 | 16 17 | 17 | 14 15 16 17 18 | PER_MAJOR_URL | 16
            17 | 16 17 | 17 | 14 15 16 17 18 | PER_MAJOR_URL | 17
            19 | 20    | -  | 14 15 16 17 18 | PER_MAJOR_URL | 20
            16 | -     | 17 | -              | CATCH_ALL_URL | 17
            """)
    void the_snapshots_own_major_else_the_nearest_newer_and_a_url_before_an_embedded_server(
            int source, String perMajor, String catchAll, String embedded, VerifierChoice.Kind kind, int major) {
        var choice = VerifierChoice.choose(source, majors(perMajor), catchAll(catchAll), majors(embedded));

        assertThat(choice).contains(new VerifierChoice.Choice(kind, major));
    }

    @ParameterizedTest(name = "source {0}, catch-all {1}: no verifier")
    @CsvSource(delimiter = '|', textBlock = """
            19 | -
            19 | 18
            """)
    void a_source_newer_than_every_server_has_no_verifier(int source, String catchAll) {
        assertThat(VerifierChoice.choose(source, List.of(), catchAll(catchAll), majors(EMBEDDED))).isEmpty();
    }

    private static List<Integer> majors(String list) {
        return list.isBlank() || list.equals("-") ? List.of() : Arrays.stream(list.trim().split("\\s+")).map(Integer::parseInt).toList();
    }

    private static OptionalInt catchAll(String major) {
        return major.equals("-") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(major));
    }
}
