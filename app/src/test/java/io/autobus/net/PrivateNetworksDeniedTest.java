package io.autobus.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.autobus.addon.AccessState;
import io.autobus.backup.BackupSchedule;
import io.autobus.backup.ScheduleRepository;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotStatus;
import io.autobus.crypto.SecretBox;
import io.autobus.notify.NotificationSettings;
import io.autobus.notify.WebhookSender;
import io.autobus.support.BackupHarness;
import io.autobus.support.HerokuPartner;
import io.autobus.support.LoopbackPort;
import io.autobus.support.TestApp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With AUTOBUS_PRIVATE_NETWORKS=deny a customer's database or webhook on this machine is refused
 * before anything connects, with the same message whatever the port: loopback listeners count
 * every connection and must see none.
 */
class PrivateNetworksDeniedTest {
    private final BackupHarness deny = new BackupHarness(PrivateNetworks.DENY);
    private final BackupHarness allow = new BackupHarness(PrivateNetworks.ALLOW);
    private final CustomerAddresses denied = new CustomerAddresses(PrivateNetworks.DENY);
    private final LoopbackPort v4 = LoopbackPort.silent(address("127.0.0.1"));
    private final LoopbackPort v6 = LoopbackPort.ipv6() ? LoopbackPort.silent(address("::1")) : null;

    @AfterEach
    void close() {
        v4.close();
        if (v6 != null) {
            v6.close();
        }
    }

    @Test
    void database_urls_on_this_machine_are_refused_when_attached_and_when_backed_up_and_nothing_connects() {
        UUID addon = deny.provisionedAddon();
        var urls = new LinkedHashMap<String, String>();
        urls.put("127.0.0.1", "postgres://u:p@127.0.0.1:" + v4.port() + "/db");
        urls.put("localhost", "postgres://u:p@localhost:" + v4.port() + "/db");
        if (v6 != null) {
            urls.put("::1", "mysql://u:p@[::1]:" + v6.port() + "/db");
        }
        int n = 0;
        for (var url : urls.entrySet()) {
            String name = "LOCAL" + n++;

            assertThatThrownBy(() -> deny.attach(addon, name, url.getValue()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(refused(url.getKey()));
            // Attached while private networks were still allowed: the rule holds at backup time too.
            allow.attachedEarlier(addon, name, url.getValue());
            Snapshot snapshot = deny.backup(addon, name + "_URL");

            assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
            assertThat(snapshot.error()).isEqualTo(refused(url.getKey()));
        }
        assertThat(v4.connections()).isZero();
        if (v6 != null) {
            assertThat(v6.connections()).isZero();
        }
    }

    @Test
    void an_answering_a_closed_and_a_silent_port_get_the_same_refusal() {
        UUID addon = deny.provisionedAddon();
        var ports = new int[] {5432, LoopbackPort.closedPort(), v4.port()}; // our own PostgreSQL, nothing, a silent listener
        var errors = new HashSet<String>();
        for (int i = 0; i < ports.length; i++) {
            allow.attachedEarlier(addon, "PORT" + i, "postgres://postgres@127.0.0.1:" + ports[i] + "/postgres");
            Snapshot snapshot = deny.backup(addon, "PORT" + i + "_URL");
            assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
            errors.add(snapshot.error());
        }

        assertThat(errors).containsExactly(refused("127.0.0.1"));
        assertThat(v4.connections()).isZero();
    }

    @Test
    void a_config_var_pointing_at_this_machine_is_refused_before_the_backup() {
        var app = deny.app;
        UUID addonId = UUID.randomUUID();
        UUID appId = UUID.randomUUID();
        app.identity.givenGrant("grant-" + addonId, "token-" + addonId, "refresh-" + addonId, 28799);
        app.platform.givenAddon(addonId, appId, "sneaky-app", "token-" + addonId);
        app.platform.givenCollaborators(appId, "sneaky-app", "token-" + addonId);
        app.platform.givenConfigVarsJson(appId, "{\"DATABASE_URL\": \"postgres://u:p@127.0.0.1:" + v4.port() + "/db\"}");
        HerokuPartner.of(app).provision(addonId, "free", "grant-" + addonId);
        // No scheduled run of the test app (which allows private networks) may reach the listener.
        new ScheduleRepository(app.db).save(addonId, BackupSchedule.defaultFor(addonId), app.clock.instant().plus(Duration.ofDays(3650)));
        await().atMost(Duration.ofSeconds(30)).until(() -> deny.addons.find(addonId).orElseThrow().accessState() == AccessState.ACTIVE);

        Snapshot snapshot = deny.backup(addonId, "DATABASE_URL");

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).isEqualTo(refused("127.0.0.1"));
        assertThat(v4.connections()).isZero();
    }

    @Test
    void a_webhook_on_this_machine_is_refused_when_saved_and_when_sent_and_nothing_connects() {
        UUID addon = deny.provisionedAddon();
        var settings = new NotificationSettings(deny.app.db, new SecretBox(TestApp.SECRET_KEY), denied);
        var sender = new WebhookSender(denied);
        var urls = new LinkedHashMap<String, String>();
        urls.put("127.0.0.1", "https://127.0.0.1:" + v4.port() + "/hook");
        urls.put("localhost", "https://localhost:" + v4.port() + "/hook");
        if (v6 != null) {
            urls.put("::1", "https://[::1]:" + v6.port() + "/hook");
        }
        for (var url : urls.entrySet()) {
            assertThatThrownBy(() -> settings.change(addon, "", url.getValue())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(refused(url.getKey()));
            assertThatThrownBy(() -> sender.send(URI.create(url.getValue()), "backup.failed", "{}", "secret"))
                    .isInstanceOf(IOException.class).hasMessage(refused(url.getKey()));
        }
        String plain = "http://127.0.0.1:" + v4.port() + "/hook";
        assertThatThrownBy(() -> settings.change(addon, "", plain)).hasMessageContaining("https");
        assertThatThrownBy(() -> sender.send(URI.create(plain), "backup.failed", "{}", "secret")).hasMessageContaining("https");

        assertThat(settings.current(addon).webhookUrl()).isNull();
        assertThat(v4.connections()).isZero();
        if (v6 != null) {
            assertThat(v6.connections()).isZero();
        }
    }

    private static String refused(String host) {
        return "address not allowed: " + host + " is on a private network (AUTOBUS_PRIVATE_NETWORKS=deny)";
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
