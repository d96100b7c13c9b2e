package io.autobus.heroku;

import static io.autobus.db.generated.Tables.ADDON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.crypto.SecretBox;
import io.autobus.support.HerokuPartner;
import io.autobus.support.TestApp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The partner token: exchanged once, refreshed shortly before it expires, never stored in plain text. */
class PartnerTokenProviderTest {
    private final TestApp app = TestApp.shared();
    /** Over a connection per transaction, as the service's pool gives them (app.db is one connection for every thread). */
    private final PartnerTokenProvider tokens = new PartnerTokenProvider(pooled(),
            HerokuClients.create(app.settings, new ObjectMapper()).identity(), new SecretBox(TestApp.SECRET_KEY), app.clock);
    private final UUID addonId = UUID.randomUUID();
    private final String grantCode = "grant-" + addonId;
    private final String refreshToken = "refresh-" + addonId;

    @Test
    void the_grant_is_exchanged_once_and_the_token_refreshed_five_minutes_before_it_expires() {
        app.identity.givenGrant(grantCode, "first-" + addonId, refreshToken, 8 * 3600);
        app.identity.givenRefresh(refreshToken, "second-" + addonId, 8 * 3600);
        HerokuPartner.of(app).provision(addonId, "free", grantCode);

        assertThat(tokens.accessToken(addonId)).isEqualTo("first-" + addonId);
        app.clock.advance(Duration.ofHours(7));
        assertThat(tokens.accessToken(addonId)).isEqualTo("first-" + addonId);
        app.clock.advance(Duration.ofMinutes(56));
        assertThat(tokens.accessToken(addonId)).isEqualTo("second-" + addonId);
        assertThat(tokens.accessToken(addonId)).isEqualTo("second-" + addonId);

        assertThat(app.identity.exchangesOf(grantCode)).isEqualTo(1);
        assertThat(app.identity.refreshesOf(refreshToken)).isEqualTo(1);
        assertThat(app.db.fetchOne(ADDON, ADDON.ID.eq(addonId)).getOauthGrantSealed()).as("a spent grant is forgotten").isNull();
    }

    @Test
    void tokens_grant_and_api_key_are_stored_encrypted_never_in_plain_text() throws Exception {
        app.identity.givenGrant(grantCode, "access-" + addonId, refreshToken, 8 * 3600);
        var provision = HerokuPartner.of(app).provision(addonId, "free", grantCode);
        String apiKey = new ObjectMapper().readTree(provision.body()).path("config").path("AUTOBUS_URL").asText()
                .replaceAll("^https://addon:([^@]+)@.*$", "$1");
        String grantRow = rowAsText();
        tokens.accessToken(addonId);
        String tokenRow = rowAsText();

        assertThat(grantRow).doesNotContain(grantCode).doesNotContain(apiKey);
        assertThat(tokenRow).doesNotContain("access-" + addonId).doesNotContain(refreshToken).doesNotContain(apiKey);
        var row = app.db.fetchOne(ADDON, ADDON.ID.eq(addonId));
        assertThat(new String(row.getAccessTokenSealed(), StandardCharsets.ISO_8859_1)).doesNotContain("access-" + addonId);
        assertThat(new SecretBox(TestApp.SECRET_KEY).open("access-token:" + addonId, row.getAccessTokenSealed()))
                .isEqualTo("access-" + addonId);
        assertThatThrownBy(() -> new SecretBox(new byte[32]).open("access-token:" + addonId, row.getAccessTokenSealed()))
                .as("another AUTOBUS_SECRET_KEY cannot read it").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void without_a_grant_or_tokens_there_is_no_partner_token() {
        app.identity.givenRejectedGrant(grantCode);
        HerokuPartner.of(app).provision(addonId, "free", grantCode);

        assertThatThrownBy(() -> tokens.accessToken(addonId))
                .isInstanceOf(HerokuApiException.class)
                .hasMessageContaining("OAuth authorization invalid");
    }

    @Test
    void while_heroku_s_oauth_server_is_retried_the_add_on_can_change_plan_and_a_second_worker_waits_for_the_one_exchange()
            throws Exception {
        // The first exchange meets a 503 asking for 3 s: the token is being fetched for that long.
        app.identity.givenGrantAfter(aResponse().withStatus(503).withHeader("Retry-After", "3"), grantCode, "access-" + addonId,
                refreshToken, 8 * 3600);
        HerokuPartner.of(app).provision(addonId, "free", grantCode);
        var pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> tokens.accessToken(addonId));
            await().atMost(Duration.ofSeconds(10)).until(() -> app.identity.exchangesOf(grantCode) == 1);
            Future<String> second = pool.submit(() -> tokens.accessToken(addonId));

            long started = System.nanoTime();
            var changed = HerokuPartner.of(app).changePlan(addonId.toString(), "travel");
            Duration planChange = Duration.ofNanos(System.nanoTime() - started);

            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(first.isDone()).as("the plan changed while the token was still being fetched").isFalse();
            assertThat(planChange).isLessThan(Duration.ofSeconds(2));
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("access-" + addonId);
            assertThat(second.get(30, TimeUnit.SECONDS)).as("the second waited and took the token the first got").isEqualTo("access-" + addonId);
            assertThat(app.identity.exchangesOf(grantCode)).as("the refused try and the one that worked; not a third").isEqualTo(2);
            assertThat(app.db.fetchOne(ADDON, ADDON.ID.eq(addonId)).getPlan()).isEqualTo("travel");
        } finally {
            pool.shutdownNow();
        }
    }

    private static org.jooq.DSLContext pooled() {
        var dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(TestApp.shared().databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        dataSource.setUser("postgres");
        return org.jooq.impl.DSL.using(dataSource, org.jooq.SQLDialect.POSTGRES);
    }

    /** The whole row as PostgreSQL prints it, bytea columns in hex and escape form. */
    private String rowAsText() {
        return (String) app.db.fetchValue("select a::text || encode(coalesce(a.access_token_sealed, ''), 'escape') "
                + "|| encode(coalesce(a.refresh_token_sealed, ''), 'escape') || encode(coalesce(a.oauth_grant_sealed, ''), 'escape') "
                + "|| encode(a.api_key_sealed, 'escape') from addon a where id = ?", addonId);
    }
}
