package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DumpOptionsTest {
    @Test
    void reads_and_writes_the_vetted_options() {
        var options = DumpOptions.fromJson("""
                {"exclude_tables": ["audit_log", "public.tmp_*"], "exclude_table_data": ["events"],
                 "schemas": ["public"], "no_owner": true, "no_acl": true, "compression_level": 9}""");

        assertThat(options.excludeTables()).containsExactly("audit_log", "public.tmp_*");
        assertThat(options.excludeTableData()).containsExactly("events");
        assertThat(options.noOwner()).isTrue();
        assertThat(DumpOptions.fromJson(options.toJson())).isEqualTo(options);
        assertThat(DumpOptions.fromJson(null)).isEqualTo(DumpOptions.DEFAULT);
    }

    @Test
    void anything_else_is_refused_with_a_message_never_passed_through() {
        assertThatThrownBy(() -> DumpOptions.fromJson("{\"extra_args\": \"--file=/etc/passwd\"}"))
                .hasMessageContaining("'extra_args' is not a dump option").hasMessageContaining("exclude_tables");
        assertThatThrownBy(() -> DumpOptions.fromJson("{\"exclude_tables\": [\"--file=/tmp/x\"]}"))
                .hasMessageContaining("not a table or schema name");
        assertThatThrownBy(() -> DumpOptions.fromJson("{\"exclude_tables\": [\"a; DROP TABLE b\"]}"))
                .hasMessageContaining("not a table or schema name");
        assertThatThrownBy(() -> DumpOptions.fromJson("{\"compression_level\": 12}")).hasMessageContaining("between 0 and 9");
        assertThatThrownBy(() -> DumpOptions.fromJson("{\"no_owner\": \"yes\"}")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> DumpOptions.fromJson("[1]")).hasMessageContaining("JSON object");
    }

    @Test
    void postgres_only_options_are_refused_for_mysql() {
        assertThatThrownBy(() -> DumpOptions.fromJson("{\"schemas\": [\"public\"]}").checkForMysql())
                .hasMessageContaining("PostgreSQL only");
    }
}
