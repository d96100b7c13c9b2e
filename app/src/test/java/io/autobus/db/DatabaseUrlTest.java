package io.autobus.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        var maria = DatabaseUrl.parse("mysql://m1n2:p%40ss%3Aw0rd%2F%25x@u9v0.rds.amazonaws.com:3306/c7d8");
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
}
