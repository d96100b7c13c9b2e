package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void reads_a_heroku_postgres_url_and_requires_tls_to_a_remote_host() {
        var url = DatabaseUrl.parse("postgres://u1a2b3:p0f1e2@c1d2.cluster-cabc.us-east-1.rds.amazonaws.com:5432/d9e8f7");

        assertThat(url.engine()).isEqualTo(DatabaseUrl.Engine.POSTGRESQL);
        assertThat(url.user()).isEqualTo("u1a2b3");
        assertThat(url.password()).isEqualTo("p0f1e2");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.database()).isEqualTo("d9e8f7");
        assertThat(url.postgresJdbcUrl()).isEqualTo("jdbc:postgresql://c1d2.cluster-cabc.us-east-1.rds.amazonaws.com:5432/d9e8f7?sslmode=require");
    }

    @Test
    void the_url_s_own_sslmode_wins_and_local_servers_need_no_tls() {
        assertThat(DatabaseUrl.parse("postgresql://u:p@db.example.com/d?sslmode=verify-full").postgresJdbcUrl()).endsWith("?sslmode=verify-full");
        assertThat(DatabaseUrl.parse("postgres://postgres@127.0.0.1:5432/test").postgresJdbcUrl()).endsWith("?sslmode=prefer");
    }

    @Test
    void reads_mysql_urls_with_encoded_passwords_default_ports_and_query_strings() {
        var maria = DatabaseUrl.parse("mysql://m1n2:p%40ss%3Aw0rd%2F%25x@u9v0.qx7.amazonaws.com:3306/c7d8");
        var clear = DatabaseUrl.parse("mysql://b0123:a1b2@us-cdbr-east-02.cleardb.com/heroku_0123?reconnect=true");

        assertThat(maria.password()).isEqualTo("p@ss:w0rd/%x");
        assertThat(clear.engine()).isEqualTo(DatabaseUrl.Engine.MYSQL);
        assertThat(clear.port()).isEqualTo(3306);
        assertThat(clear.database()).isEqualTo("heroku_0123");
        assertThat(clear.parameters()).containsEntry("reconnect", "true");
    }

    @Test
    void never_shows_the_password() {
        var url = DatabaseUrl.parse("postgres://user:hunter2@db.example.com:5432/d");

        assertThat(url.toString()).doesNotContain("hunter2").contains("db.example.com");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://user:hunter2@db.example.com:5432/"))
                .hasMessageNotContaining("hunter2").hasMessageContaining("no database");
        assertThatThrownBy(() -> DatabaseUrl.parse("redis://user:hunter2@h:6379")).hasMessageContaining("unsupported");
    }

    @Test
    void a_password_with_unencoded_special_characters_is_refused_without_showing_any_of_it() {
        String url = "mysql://m1n2:p@ss:w/rd#1@u9v0.qx7.amazonaws.com:3306/c7d8";

        assertThatThrownBy(() -> DatabaseUrl.parse(url))
                .hasMessageContaining("user info").hasMessageContaining("percent-encoded").hasMessageContaining("@ : / # ? %")
                .satisfies(e -> assertEchoesNothing(url, e.getMessage()));
    }

    @Test
    void each_unreadable_part_is_named_and_nothing_after_the_scheme_is_quoted() {
        var cases = Map.ofEntries(
                Map.entry("postgres://u5er:pa/ss9@h0st9.example.com/dbq7", "user info"),
                Map.entry("postgres://u5er:pa?ss9@h0st9.example.com/dbq7", "user info"),
                Map.entry("postgres://u5er:pa ss9@h0st9.example.com/dbq7", "user info"),
                Map.entry("postgres://u5er:pa%zzss9@h0st9.example.com/dbq7", "user info"),
                Map.entry("postgres://u5er@x:pw9x@h0st9.example.com/dbq7", "user info"),
                Map.entry("postgres://u5er:pw9x@h0st9 example.com/dbq7", "host"),
                Map.entry("postgres://u5er:pw9x@-h0st9.example.com/dbq7", "host"),
                Map.entry("postgres://u5er:pw9x@/dbq7", "no host"),
                Map.entry("postgres://u5er:pw9x@h0st9.example.com:54x2/dbq7", "port"),
                Map.entry("postgres://u5er:pw9x@h0st9.example.com:99999/dbq7", "port"),
                Map.entry("postgres://u5er:pw9x@h0st9.example.com/dbq7#frg8", "'#'"),
                Map.entry("postgres://u5er:pw9x@h0st9.example.com/", "no database"),
                Map.entry("postgres://u5er:pw9x@h0st9.example.com/dbq7%zz", "database name"),
                Map.entry("postgres://u5er:pw9x@h0st9.example.com/dbq7?sslmode=require%26socketFactory%3Dx9q", "sslmode"),
                Map.entry("red1s://u5er:pw9x@h0st9.example.com/dbq7", "scheme"),
                Map.entry("u5er:pw9x@h0st9.example.com/dbq7", "must start with postgres://"),
                Map.entry("postgres//u5er:pw9x@h0st9.example.com/dbq7", "must start with postgres://"),
                Map.entry("", "must start with postgres://"));

        cases.forEach((url, part) -> assertThatThrownBy(() -> DatabaseUrl.parse(url)).as(url)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(part)
                .satisfies(e -> assertEchoesNothing(url, e.getMessage())));
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u5er:pa/ss9@h0st9.example.com/dbq7")).hasMessageContaining("percent-encoded");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u5er:pw9x@h0st9 example.com/dbq7")).hasMessageContaining("percent-encoded");
    }

    @Test
    void control_characters_in_the_user_password_or_database_and_a_leading_dash_are_refused() {
        var cases = Map.ofEntries(
                Map.entry("postgres://u5er%0A:pw9x@h0st9.example.com/dbq7", "user name"),
                Map.entry("postgres://u5er:pw9x%00@h0st9.example.com/dbq7", "password"),
                Map.entry("mysql://u5er:pw9x%0D%0Ahost%3Devil@h0st9.example.com/dbq7", "password"),
                Map.entry("postgres://u5er:pw9x@h0st9.example.com/dbq7%0Ax", "database name"),
                Map.entry("postgres://u5er:pw9x@h0st9.example.com/dbq7%7F", "database name"),
                Map.entry("postgres://u5er:pw9x@h0st9.example.com/dbq7%1B", "database name"));
        cases.forEach((url, part) -> assertThatThrownBy(() -> DatabaseUrl.parse(url)).as(url)
                .hasMessageContaining(part).hasMessageContaining("control character")
                .satisfies(e -> assertEchoesNothing(url, e.getMessage())));

        for (String url : new String[] {"mysql://u5er:pw9x@h0st9.example.com/-dbq7", "mysql://u5er:pw9x@h0st9.example.com/%2D-defaults-file%3Dx"}) {
            assertThatThrownBy(() -> DatabaseUrl.parse(url)).as(url).hasMessageContaining("must not start with '-'")
                    .satisfies(e -> assertEchoesNothing(url, e.getMessage()));
        }
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u5er:pw9x@h0st9.example.com/dbq7%3FsocketFactory%3Dx9q"))
                .as("JDBC parameters smuggled in the database name").hasMessageContaining("must not contain");
    }

    @Test
    void unusual_but_valid_urls_still_read() {
        var ipv6 = DatabaseUrl.parse("postgresql://postgres@[::1]:5433/d");
        var colonInPassword = DatabaseUrl.parse("mysql://u:a:b+c@db-1.example.com/shop_2");
        var unicode = DatabaseUrl.parse("postgres://%C3%BCser:p%20w@h/d%C3%A9j%C3%A0?sslmode=verify-full");

        assertThat(ipv6.host()).isEqualTo("[::1]");
        assertThat(ipv6.port()).isEqualTo(5433);
        assertThat(ipv6.localHost()).isTrue();
        assertThat(colonInPassword.password()).isEqualTo("a:b+c");
        assertThat(colonInPassword.database()).isEqualTo("shop_2");
        assertThat(unicode.user()).isEqualTo("üser");
        assertThat(unicode.password()).isEqualTo("p w");
        assertThat(unicode.database()).isEqualTo("déjà");
        assertThat(unicode.parameters()).containsEntry("sslmode", "verify-full");
    }

    /** No piece of three or more characters from after the scheme appears in the message (the words of the rules it may). */
    private static void assertEchoesNothing(String url, String message) {
        int start = url.indexOf("://") < 0 ? 0 : url.indexOf("://") + 3;
        Arrays.stream(url.substring(start).split("[@:/#?%=&. ]+")).filter(piece -> piece.length() >= 3)
                .filter(piece -> !List.of("postgres", "sslmode", "require").contains(piece))
                .forEach(piece -> assertThat(message).as(url).doesNotContain(piece));
    }
}
