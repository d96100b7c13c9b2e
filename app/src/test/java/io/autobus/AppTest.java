package io.autobus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobus.config.Settings;
import io.autobus.support.HttpDriver;
import io.autobus.support.TestApp;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class AppTest {
    private final TestApp shared = TestApp.shared();

    @Test
    void a_built_service_serves_nothing_until_it_is_started_on_the_port_it_is_given() throws Exception {
        int free;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        try (var app = App.create(Settings.fromEnvironment(shared.environment()), shared.clock, EnumSet.of(Role.WEB))) {
            assertThat(app.port()).as("not started").isEqualTo(-1);
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), free).close()).isInstanceOf(ConnectException.class);

            app.start(free);

            assertThat(app.port()).isEqualTo(free);
            assertThat(new HttpDriver("http://localhost:" + free).get("/health", null).body()).contains("\"ok\"");
            assertThatThrownBy(() -> app.start(0)).as("started once").isInstanceOf(IllegalStateException.class);
        }
    }
}
