package io.autobus.notify;

import static io.autobus.db.generated.Tables.ADDON;
import static io.autobus.db.generated.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.autobus.addon.Plan;
import io.autobus.crypto.SecretBox;
import io.autobus.net.CustomerAddresses;
import io.autobus.net.PrivateNetworks;
import io.autobus.support.IsolatedMetadata;
import io.autobus.support.TestClock;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The owner is told once per problem, again if it goes on, and when it is over: by mail (GreenMail) and a signed webhook. */
class NotificationsTest {
    private final IsolatedMetadata metadata = new IsolatedMetadata();
    private final TestClock clock = new TestClock();
    private final PostgresStorageProvider jobStorage = new PostgresStorageProvider(metadata.database.dataSource());
    private final SecretBox secrets = new SecretBox(new byte[32]);
    private final GreenMail smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", "smtp"));
    private final HttpServer receiver;
    private final List<Received> hooks = new CopyOnWriteArrayList<>();
    private final UUID addon = metadata.addon(Plan.FREE, clock.instant());
    private static final CustomerAddresses ALLOW = new CustomerAddresses(PrivateNetworks.ALLOW);

    private record Received(String body, String signature, String event) {
    }

    NotificationsTest() throws Exception {
        jobStorage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
        smtp.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            hooks.add(new Received(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst(WebhookSender.SIGNATURE_HEADER),
                    exchange.getRequestHeaders().getFirst("X-Autobus-Event")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        metadata.database.dsl().update(ADDON).set(ADDON.OWNER_EMAIL, "owner@example.com").set(ADDON.APP_NAME, "sharp-mountain-4005")
                .where(ADDON.ID.eq(addon)).execute();
    }

    @AfterEach
    void stop() {
        smtp.stop();
        receiver.stop(0);
        jobStorage.close();
        metadata.close();
    }

    @Test
    void a_failing_backup_mails_the_owner_once_again_after_three_and_when_it_recovers_with_signed_webhooks() throws Exception {
        var settings = new NotificationSettings(metadata.database.dsl(), secrets, ALLOW);
        String secret = settings.change(addon, "", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook").webhookSecret();
        var notifier = notifier(true);

        for (int run = 0; run < 5; run++) {
            clock.advance(Duration.ofDays(1));
            notifier.problem(addon, "backup:DATABASE_URL", "backup.failed", "Backup of DATABASE_URL failed", "pg_dump: connection refused");
        }
        clock.advance(Duration.ofDays(1));
        notifier.resolved(addon, "backup:DATABASE_URL", "backup.recovered", "Backups of DATABASE_URL work again", "Snapshot x was taken.");
        notifier.resolved(addon, "backup:DATABASE_URL", "backup.recovered", "Backups of DATABASE_URL work again", "again");
        deliverAll(new NotificationDelivery(metadata.database.dsl(), Optional.of(mailer()), new WebhookSender(ALLOW), secrets,
                new ObjectMapper(), clock));

        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(3);
        assertThat(mails).allSatisfy(mail -> assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("owner@example.com"));
        assertThat(List.of(mails[0].getSubject(), mails[1].getSubject(), mails[2].getSubject())).containsExactly(
                "[Autobus] Backup of DATABASE_URL failed (sharp-mountain-4005)",
                "[Autobus] Still failing (3 times in a row): Backup of DATABASE_URL failed (sharp-mountain-4005)",
                "[Autobus] Back to normal: Backups of DATABASE_URL work again (sharp-mountain-4005)");
        assertThat((String) mails[0].getContent()).contains("pg_dump: connection refused").contains("heroku addons:open autobus");
        assertThat(hooks).extracting(Received::event).containsExactly("backup.failed", "backup.failed.repeated", "backup.recovered");
        for (Received hook : hooks) {
            assertThat(hook.signature()).isEqualTo("sha256=" + WebhookSender.signature(hook.body(), secret));
            assertThat(new ObjectMapper().readTree(hook.body()).path("addon_id").asText()).isEqualTo(addon.toString());
        }
        assertThat(WebhookSender.signature(hooks.getFirst().body(), "another secret")).isNotEqualTo(hooks.getFirst().signature().substring(7));
    }

    @Test
    void the_address_can_be_overridden_and_without_smtp_messages_are_kept_for_the_dashboard() throws Exception {
        var settings = new NotificationSettings(metadata.database.dsl(), secrets, ALLOW);
        settings.change(addon, "ops@example.com", "");

        notifier(false).problem(addon, "access", "access.lost", "Autobus lost access to sharp-mountain-4005", "Add it back.");
        deliverAll(new NotificationDelivery(metadata.database.dsl(), Optional.empty(), new WebhookSender(ALLOW), secrets,
                new ObjectMapper(), clock));

        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(settings.recent(addon, 10)).singleElement().satisfies(kept -> {
            assertThat(kept.subject()).isEqualTo("Autobus lost access to sharp-mountain-4005");
            assertThat(kept.emailStatus()).isEqualTo("kept");
            assertThat(kept.webhookStatus()).isEqualTo("none");
        });
        assertThat(settings.current(addon).notifyEmail()).isEqualTo("ops@example.com");
    }

    @Test
    void bad_addresses_and_plain_http_webhooks_are_refused() {
        var settings = new NotificationSettings(metadata.database.dsl(), secrets, ALLOW);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings.change(addon, "not an address", ""))
                .hasMessageContaining("not an e-mail address");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings.change(addon, "", "http://example.com/hook"))
                .hasMessageContaining("https");
    }

    private Notifier notifier(boolean smtpConfigured) {
        return new Notifier(metadata.database.dsl(), new JobRequestScheduler(jobStorage), smtpConfigured, clock);
    }

    private Mailer mailer() {
        return new Mailer(URI.create("smtp://127.0.0.1:" + smtp.getSmtp().getPort()), "Autobus <noreply@autobus.io>");
    }

    /** What the delivery jobs do, run here in order. */
    private void deliverAll(NotificationDelivery delivery) {
        metadata.database.dsl().select(NOTIFICATION.ID).from(NOTIFICATION).where(NOTIFICATION.ADDON_ID.eq(addon))
                .orderBy(NOTIFICATION.CREATED_AT).fetch(NOTIFICATION.ID).forEach(delivery::deliver);
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
