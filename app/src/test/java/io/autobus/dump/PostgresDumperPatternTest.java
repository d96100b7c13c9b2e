package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Exclusions reach pg_dump as exact, quoted identifiers; only * and ? stay wildcards. */
class PostgresDumperPatternTest {
    @Test
    void names_are_quoted_exactly_and_wildcards_stay_outside_the_quotes() {
        assertThat(PostgresDumper.exactPattern("audit_log")).isEqualTo("\"audit_log\"");
        assertThat(PostgresDumper.exactPattern("public.AuditLog")).isEqualTo("\"public\".\"AuditLog\"");
        assertThat(PostgresDumper.exactPattern("public.tmp_*")).isEqualTo("\"public\".\"tmp_\"*");
        assertThat(PostgresDumper.exactPattern("log?")).isEqualTo("\"log\"?");
        assertThat(PostgresDumper.exactPattern("*")).isEqualTo("*");
    }
}
