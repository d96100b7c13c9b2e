package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which pg_dump dumps which server. The matrix (server major × pg_dumps installed → chosen):
 * the server's own major when installed, else the nearest newer, else a failure naming the
 * package. Heroku's dyno has 14–18 (Aptfile); this machine has 15 only.
 */
class PgDumpChoiceTest {

    @ParameterizedTest(name = "PostgreSQL {0} with pg_dump {1} installed is dumped by pg_dump {2}")
    @CsvSource(delimiter = '|', textBlock = """
            12 | 14 15 16 17 18 | 14
            13 | 14 15 16 17 18 | 14
            14 | 14 15 16 17 18 | 14
            15 | 14 15 16 17 18 | 15
            16 | 14 15 16 17 18 | 16
            17 | 14 15 16 17 18 | 17
            18 | 14 15 16 17 18 | 18
            14 | 15             | 15
            15 | 15             | 15
            14 | 15 17 18       | 15
            16 | 15 17 18       | 17
            16 | 18 17          | 17
            """)
    void the_servers_own_major_or_else_the_nearest_newer_one(int server, String installed, int chosen) {
        var choice = PgDumpChoice.choose(server, majors(installed));

        assertThat(choice.major()).isEqualTo(chosen);
        if (chosen == server) {
            assertThat(choice.note()).isNull();
        } else {
            assertThat(choice.note()).contains("pg_dump " + server + " is not installed")
                    .contains("nearest newer").contains("pg_restore " + chosen + " or newer");
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0} with only pg_dump {1} fails naming postgresql-client-{0}")
    @CsvSource(delimiter = '|', textBlock = """
            16 | 15
            17 | 15
            18 | 15
            18 | 14 15 16 17
            19 | 14 15 16 17 18
            """)
    void a_server_newer_than_every_pg_dump_fails_naming_the_package_to_install(int server, String installed) {
        assertThatThrownBy(() -> PgDumpChoice.choose(server, majors(installed)))
                .isInstanceOf(DumpException.class)
                .hasMessageContaining("PostgreSQL " + server)
                .hasMessageContaining("Install postgresql-client-" + server);
    }

    @ParameterizedTest(name = "no pg_dump at all, PostgreSQL {0}")
    @CsvSource({"14", "17"})
    void no_pg_dump_at_all_says_so(int server) {
        assertThatThrownBy(() -> PgDumpChoice.choose(server, List.of()))
                .isInstanceOf(DumpException.class).hasMessageContaining("pg_dump is not installed")
                .hasMessageContaining("postgresql-client-" + server);
    }

    private static List<Integer> majors(String installed) {
        return java.util.Arrays.stream(installed.trim().split("\\s+")).map(Integer::parseInt).toList();
    }
}
