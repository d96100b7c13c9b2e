package io.autobus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path home;

    @Test
    void with_no_configuration_the_embedded_defaults_apply_and_dev_secrets_are_generated_once() throws Exception {
        var first = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString()));
        var second = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString()));

        assertThat(first.port()).isEqualTo(5000);
        assertThat(first.embeddedDatabase()).isTrue();
        assertThat(first.addonId()).isEqualTo("autobus");
        assertThat(first.publicUrl().toString()).isEqualTo("http://localhost:5000");
        assertThat(first.herokuApiUrl().toString()).isEqualTo("https://api.heroku.com");
        assertThat(first.herokuIdUrl().toString()).isEqualTo("https://id.heroku.com");
        assertThat(first.secureCookies()).isFalse();
        assertThat(first.generatedSecrets()).containsExactly("AUTOBUS_PASSWORD", "AUTOBUS_SSO_SALT", "AUTOBUS_SECRET_KEY");
        assertThat(second.password()).isEqualTo(first.password()).hasSizeGreaterThan(30);
        assertThat(second.ssoSalt()).isEqualTo(first.ssoSalt());
        assertThat(second.secretKey()).isEqualTo(first.secretKey()).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("dev-secrets.properties"))))
                .isEqualTo("rw-------");
    }

    @Test
    void the_environment_wins_and_its_secrets_are_not_listed_as_generated() {
        var settings = Settings.fromEnvironment(Map.of(
                "AUTOBUS_HOME", home.toString(),
                "PORT", "7000",
                "DATABASE_URL", "postgres://u:p@db.example.com:5432/meta",
                "AUTOBUS_PASSWORD", "from-env",
                "AUTOBUS_SSO_SALT", "salt-from-env",
                "AUTOBUS_SECRET_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "AUTOBUS_PUBLIC_URL", "https://autobus.example.com/"));

        assertThat(settings.port()).isEqualTo(7000);
        assertThat(settings.embeddedDatabase()).isFalse();
        assertThat(settings.password()).isEqualTo("from-env");
        assertThat(settings.generatedSecrets()).isEmpty();
        assertThat(settings.publicUrl().toString()).isEqualTo("https://autobus.example.com");
        assertThat(settings.secureCookies()).isTrue();
        assertThat(settings.toString()).doesNotContain("from-env").doesNotContain("salt-from-env").doesNotContain("u:p@");
    }

    @Test
    void on_a_heroku_dyno_missing_secrets_stop_the_start_with_every_problem_listed() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "DYNO", "web.1",
                "PORT", "eighty", "AUTOBUS_PUBLIC_URL", "ftp://x")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("AUTOBUS_PASSWORD must be set")
                .hasMessageContaining("AUTOBUS_SSO_SALT must be set")
                .hasMessageContaining("AUTOBUS_SECRET_KEY must be set")
                .hasMessageContaining("PORT must be a port number")
                .hasMessageContaining("AUTOBUS_PUBLIC_URL must be an http(s) URL");
    }

    @Test
    void the_api_rate_limit_is_sixty_a_minute_unless_set_and_must_be_a_positive_number() {
        assertThat(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString())).apiRateLimit()).isEqualTo(60);
        assertThat(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_API_RATE_LIMIT", "6000"))
                .apiRateLimit()).isEqualTo(6000);
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_API_RATE_LIMIT", "0")))
                .hasMessageContaining("AUTOBUS_API_RATE_LIMIT must be a whole number above 0, got '0'");
    }

    @Test
    void the_pool_holds_every_connection_the_worker_s_jobs_can_hold_at_once_and_a_smaller_one_is_refused_at_start() {
        var settings = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString()));
        assertThat(settings.workerThreads()).isEqualTo(4);
        assertThat(settings.databasePoolSize()).as("2 + 3 per job").isEqualTo(14);
        assertThat(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_WORKER_THREADS", "2"))
                .databasePoolSize()).isEqualTo(8);

        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(),
                "AUTOBUS_WORKER_THREADS", "4", "AUTOBUS_DATABASE_POOL_SIZE", "10")))
                .hasMessageContaining("AUTOBUS_DATABASE_POOL_SIZE (10) is too small for AUTOBUS_WORKER_THREADS (4): a worker needs 14"
                        + " connections")
                .hasMessageContaining("Set AUTOBUS_DATABASE_POOL_SIZE to 14 or more, or lower AUTOBUS_WORKER_THREADS");
    }

    @Test
    void a_secret_key_may_be_given_as_64_hex_digits_as_heroku_s_secret_generator_makes_them() {
        var settings = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(),
                "AUTOBUS_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));

        assertThat(settings.secretKey()).hasSize(32).startsWith((byte) 0x00, (byte) 0x11, (byte) 0x22);
    }

    @Test
    void a_secret_key_that_is_not_32_bytes_is_refused() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_SECRET_KEY", "c2hvcnQ=")))
                .hasMessageContaining("AUTOBUS_SECRET_KEY must be 32 random bytes");
    }
}
