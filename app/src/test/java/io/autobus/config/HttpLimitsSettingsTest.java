package io.autobus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web server's connection limits come from the environment; on a dyno there is no per-address limit. */
class HttpLimitsSettingsTest {
    @TempDir
    Path home;

    @Test
    void without_settings_connections_idle_30_s_headers_take_20_s_and_one_address_holds_128() {
        assertThat(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString())).http())
                .isEqualTo(new Settings.HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(20), 128));
    }

    @Test
    void on_a_dyno_every_connection_comes_from_heroku_s_routers_so_addresses_are_not_limited() {
        var env = new HashMap<>(Map.of("AUTOBUS_HOME", home.toString(), "DYNO", "web.1", "DATABASE_URL", "postgres://u:p@db.example.com/d",
                "AUTOBUS_PASSWORD", "p", "AUTOBUS_SSO_SALT", "s", "AUTOBUS_SECRET_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));

        assertThat(Settings.fromEnvironment(env).http().connectionsPerAddress()).isZero();
    }

    @Test
    void limits_are_read_and_bad_ones_stop_the_start_naming_the_variable() {
        var http = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_HTTP_IDLE_TIMEOUT", "1m",
                "AUTOBUS_HTTP_HEADER_TIMEOUT", "5s", "AUTOBUS_HTTP_CONNECTIONS_PER_ADDRESS", "0")).http();

        assertThat(http).isEqualTo(new Settings.HttpLimits(Duration.ofMinutes(1), Duration.ofSeconds(5), 0));
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_HTTP_HEADER_TIMEOUT", "0s",
                "AUTOBUS_HTTP_CONNECTIONS_PER_ADDRESS", "-1")))
                .hasMessageContaining("AUTOBUS_HTTP_HEADER_TIMEOUT must be a duration")
                .hasMessageContaining("AUTOBUS_HTTP_CONNECTIONS_PER_ADDRESS must be a whole number, 0 or more, got '-1'");
    }
}
