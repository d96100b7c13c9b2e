package io.autobus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobus.net.PrivateNetworks;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTOBUS_PRIVATE_NETWORKS: deny on a Heroku dyno unless set, allow on a laptop, anything else stops the start. */
class PrivateNetworksSettingTest {
    @TempDir
    Path home;

    @Test
    void off_a_dyno_private_networks_are_allowed_so_a_laptop_backs_up_its_own_databases() {
        assertThat(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString())).privateNetworks())
                .isEqualTo(PrivateNetworks.ALLOW);
        assertThat(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_PRIVATE_NETWORKS", "deny"))
                .privateNetworks()).isEqualTo(PrivateNetworks.DENY);
    }

    @Test
    void on_a_dyno_private_networks_are_denied_unless_allowed_explicitly() {
        assertThat(Settings.fromEnvironment(dyno(Map.of())).privateNetworks()).isEqualTo(PrivateNetworks.DENY);
        assertThat(Settings.fromEnvironment(dyno(Map.of("AUTOBUS_PRIVATE_NETWORKS", "Allow"))).privateNetworks())
                .isEqualTo(PrivateNetworks.ALLOW);
    }

    @Test
    void any_other_value_is_a_problem_listed_at_start() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(),
                "AUTOBUS_PRIVATE_NETWORKS", "sometimes")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("AUTOBUS_PRIVATE_NETWORKS must be allow or deny, got 'sometimes'");
    }

    /** What a dyno has: DYNO and the secrets that must be set there. */
    private Map<String, String> dyno(Map<String, String> extra) {
        var env = new HashMap<>(Map.of("AUTOBUS_HOME", home.toString(), "DYNO", "worker.1",
                "AUTOBUS_PASSWORD", "p", "AUTOBUS_SSO_SALT", "s",
                "AUTOBUS_SECRET_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));
        env.putAll(extra);
        return env;
    }
}
