package io.autobus.addon;

import static io.autobus.db.generated.Tables.ADDON;
import static io.autobus.db.generated.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.support.FakeHerokuPlatform;
import io.autobus.support.HerokuPartner;
import io.autobus.support.HerokuSso;
import io.autobus.support.TestApp;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * From provisioning to "we can see your databases", through the fakes of Heroku's OAuth server
 * and Platform API: grant exchange, app and owner lookup, config-var reading, and what happens
 * while our account is not, or no longer, a collaborator.
 */
class AccessCheckTest {
    private final TestApp app = TestApp.shared();
    private final AddonRepository addons = new AddonRepository(app.db);
    private final UUID addonId = UUID.randomUUID();
    private final UUID appId = UUID.randomUUID();
    private final String appName = "app-" + appId.toString().substring(0, 8);
    private final String grantCode = "grant-" + addonId;
    private final String partnerToken = "partner-token-" + addonId;

    private void givenHerokuKnowsTheAddon() {
        app.identity.givenGrant(grantCode, partnerToken, "refresh-" + addonId, 28799);
        app.platform.givenAddon(addonId, appId, appName, partnerToken);
        app.platform.givenCollaborators(appId, appName, partnerToken);
    }

    @Test
    void provisioning_exchanges_the_grant_learns_the_app_and_finds_its_databases() {
        givenHerokuKnowsTheAddon();
        app.platform.givenConfigVars(appId, "platform/config-vars.json");

        HerokuPartner.of(app).provision(addonId, "travel", grantCode);

        Addon addon = awaitState(AccessState.ACTIVE);
        assertThat(addon.appId()).isEqualTo(appId);
        assertThat(addon.appName()).isEqualTo(appName);
        assertThat(addon.ownerEmail()).isEqualTo("owner@example.com");
        assertThat(addon.accessMessage()).isNull();
        assertThat(addon.nextAccessCheckAt()).isAfter(app.clock.instant().plus(Duration.ofHours(23)));
        assertThat(addons.databases(addonId)).extracting(FoundDatabase::label, FoundDatabase::engine).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("DATABASE", "postgresql"),
                org.assertj.core.groups.Tuple.tuple("CLEARDB_DATABASE", "mysql"),
                org.assertj.core.groups.Tuple.tuple("PURPLE", "postgresql"),
                org.assertj.core.groups.Tuple.tuple("JAWSDB", "mysql"),
                org.assertj.core.groups.Tuple.tuple("JAWSDB_MARIA", "mariadb"));
        assertThat(app.identity.exchangesOf(grantCode)).isEqualTo(1);
    }

    @Test
    void the_addon_subscribes_once_to_its_apps_releases_with_its_own_secret_and_authorization() throws Exception {
        givenHerokuKnowsTheAddon();
        app.platform.givenConfigVars(appId, "platform/config-vars.json");
        app.platform.givenWebhookSubscriptions(addonId, partnerToken, "0f0f0f0f-0000-4000-8000-000000000001");
        app.platform.givenCurrentRelease(appId, 7, "Deploy 7a7a7a7");

        HerokuPartner.of(app).provision(addonId, "travel", grantCode);
        awaitState(AccessState.ACTIVE);
        HerokuPartner.of(app).provision(addonId, "travel", grantCode); // Heroku repeats a provision it did not see answered
        app.app.accessChecker().check(addonId);

        var releases = new io.autobus.release.ReleaseRepository(app.db, new io.autobus.crypto.SecretBox(TestApp.SECRET_KEY));
        var credentials = releases.stored(addonId).orElseThrow();
        assertThat(app.platform.webhookSubscriptionsOf(addonId)).as("one subscription, however often the add-on is checked").hasSize(1);
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(app.platform.webhookSubscriptionsOf(addonId).getFirst());
        assertThat(body.path("include").toString()).isEqualTo("[\"api:release\"]");
        assertThat(body.path("level").asText()).isEqualTo("sync");
        assertThat(body.path("url").asText()).isEqualTo(TestApp.PUBLIC_URL + "/heroku/webhooks?addon=" + addonId);
        assertThat(body.path("secret").asText()).isEqualTo(credentials.secret()).hasSizeGreaterThan(30);
        assertThat(body.path("authorization").asText()).isEqualTo(credentials.authorization()).startsWith("Bearer ");
        assertThat(releases.subscription(addonId)).contains("0f0f0f0f-0000-4000-8000-000000000001");
        assertThat(app.db.selectFrom(io.autobus.db.generated.Tables.APP_RELEASE).where(io.autobus.db.generated.Tables.APP_RELEASE.ADDON_ID
                .eq(addonId)).fetch(r -> r.getVersion() + " " + r.getStatus() + " " + r.getGitCommit()))
                .as("before any delivery, the app's current release, read once").containsExactly("7 succeeded 7a7a7a7");

        app.platform.givenWebhookRemoval(addonId, "0f0f0f0f-0000-4000-8000-000000000001");
        HerokuPartner.of(app).deprovision(addonId.toString());
        assertThat(app.platform.webhookRemovalsOf(addonId, "0f0f0f0f-0000-4000-8000-000000000001")).as("removed on deprovision").isEqualTo(1);
    }

    @Test
    void without_collaborator_access_the_addon_waits_and_the_dashboard_rechecks_when_opened() {
        givenHerokuKnowsTheAddon();
        app.platform.givenNotCollaborator(appId, appName);
        HerokuPartner.of(app).provision(addonId, "free", grantCode);

        Addon waiting = awaitState(AccessState.WAITING_FOR_ACCESS);
        assertThat(waiting.accessMessage()).contains("waiting for access to " + appName).contains(app.settings.collaboratorEmail());
        assertThat(waiting.nextAccessCheckAt()).isEqualTo(waiting.accessCheckedAt().plus(AccessChecker.RETRY));

        var login = app.http.postForm("/sso/login", HerokuSso.form(addonId, app.clock.instant(), TestApp.SSO_SALT, appName));
        String cookie = HerokuSso.cookie(login);
        var beforeAccess = app.http.get("/dashboard", cookie);
        assertThat(beforeAccess.body()).contains("waiting for access").contains("Access</b> tab").contains(app.settings.collaboratorEmail());

        app.platform.givenConfigVars(appId, "platform/config-vars.json");
        app.clock.advance(Duration.ofSeconds(16));
        var afterAccess = app.http.get("/dashboard", cookie);

        assertThat(afterAccess.body()).contains("data-name=\"JAWSDB_MARIA_URL\"").contains("<td>MariaDB</td>").doesNotContain("id=\"access-state\"");
        assertThat(addons.find(addonId).orElseThrow().accessState()).isEqualTo(AccessState.ACTIVE);
    }

    @Test
    void while_heroku_asks_for_half_a_minute_the_dashboard_and_deprovisioning_answer_within_seconds() {
        givenHerokuKnowsTheAddon();
        app.platform.givenNotCollaborator(appId, appName);
        HerokuPartner.of(app).provision(addonId, "free", grantCode);
        awaitState(AccessState.WAITING_FOR_ACCESS);
        String cookie = HerokuSso.cookie(app.http.postForm("/sso/login", HerokuSso.form(addonId, app.clock.instant(), TestApp.SSO_SALT,
                appName)));
        // Heroku rate-limits us for 30 s: a job would wait that out; a page or the partner API, waiting for us, must not.
        app.platform.givenConfigVarsFailing(appId, FakeHerokuPlatform.rateLimited("30"));
        new io.autobus.release.ReleaseRepository(app.db, new io.autobus.crypto.SecretBox(TestApp.SECRET_KEY))
                .recordSubscription(addonId, "0f0f0f0f-0000-4000-8000-0000000000a1");
        app.platform.givenWebhookRemovalFailing(addonId, "0f0f0f0f-0000-4000-8000-0000000000a1", FakeHerokuPlatform.rateLimited("30"));
        app.clock.advance(Duration.ofSeconds(16));

        long started = System.nanoTime();
        var dashboard = app.http.get("/dashboard", cookie);
        Duration opening = Duration.ofNanos(System.nanoTime() - started);
        started = System.nanoTime();
        var deprovision = HerokuPartner.of(app).deprovision(addonId.toString());
        Duration deprovisioning = Duration.ofNanos(System.nanoTime() - started);

        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("waiting for access");
        assertThat(opening).isLessThan(Duration.ofSeconds(10));
        assertThat(deprovision.statusCode()).isEqualTo(204);
        assertThat(deprovisioning).as("Heroku gives a deprovision 30 s").isLessThan(Duration.ofSeconds(10));
        assertThat(addons.find(addonId)).as("removed, though Heroku kept its webhook (it removes it with the add-on)").isEmpty();
    }

    @Test
    void losing_collaborator_access_turns_an_active_addon_back_to_waiting_with_a_clear_reason() {
        givenHerokuKnowsTheAddon();
        app.platform.givenConfigVars(appId, "platform/config-vars.json");
        HerokuPartner.of(app).provision(addonId, "free", grantCode);
        awaitState(AccessState.ACTIVE);

        app.platform.givenNotCollaborator(appId, appName);
        Addon afterLoss = app.app.accessChecker().check(addonId).orElseThrow();

        assertThat(afterLoss.accessState()).isEqualTo(AccessState.WAITING_FOR_ACCESS);
        assertThat(afterLoss.accessMessage()).contains("lost access").contains("no longer a collaborator");
        app.app.accessChecker().check(addonId);
        assertThat(app.db.select(NOTIFICATION.SUBJECT).from(NOTIFICATION).where(NOTIFICATION.ADDON_ID.eq(addonId)).fetch(NOTIFICATION.SUBJECT))
                .as("told once, however often the loss is seen").containsExactly("Autobus lost access to " + appName);

        app.platform.givenConfigVars(appId, "platform/config-vars.json");
        app.clock.advance(Duration.ofSeconds(1));
        app.app.accessChecker().check(addonId);

        assertThat(app.db.select(NOTIFICATION.SUBJECT).from(NOTIFICATION).where(NOTIFICATION.ADDON_ID.eq(addonId))
                .orderBy(NOTIFICATION.CREATED_AT).fetch(NOTIFICATION.SUBJECT))
                .containsExactly("Autobus lost access to " + appName, "Back to normal: Autobus can read " + appName + " again");
    }

    @Test
    void a_refused_grant_keeps_the_addon_pending_with_heroku_s_reason_and_retries_later() {
        app.identity.givenRejectedGrant(grantCode);

        HerokuPartner.of(app).provision(addonId, "free", grantCode);

        await().atMost(Duration.ofSeconds(30)).until(() -> addons.find(addonId).orElseThrow().accessMessage() != null);
        Addon addon = addons.find(addonId).orElseThrow();
        assertThat(addon.accessState()).isEqualTo(AccessState.PENDING);
        assertThat(addon.accessMessage()).contains("OAuth authorization invalid");
        assertThat(addon.nextAccessCheckAt()).isEqualTo(addon.accessCheckedAt().plus(AccessChecker.RETRY));
        assertThat(app.db.fetchOne(ADDON, ADDON.ID.eq(addonId)).getOauthGrantSealed())
                .as("a refused grant is kept for the retry").isNotNull();
    }

    @Test
    void an_addon_due_for_a_check_is_found_by_the_dispatcher_query_once_its_time_comes() {
        givenHerokuKnowsTheAddon();
        app.platform.givenNotCollaborator(appId, appName);
        HerokuPartner.of(app).provision(addonId, "free", grantCode);
        Addon waiting = awaitState(AccessState.WAITING_FOR_ACCESS);

        var dueNow = addons.dueForAccessCheck(waiting.accessCheckedAt(), 10_000);
        var dueLater = addons.dueForAccessCheck(waiting.nextAccessCheckAt(), 10_000);

        assertThat(dueNow).noneMatch(due -> due.addonId().equals(addonId));
        assertThat(dueLater).anyMatch(due -> due.addonId().equals(addonId));
    }

    private Addon awaitState(AccessState state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> addons.find(addonId).orElseThrow().accessState() == state);
        return addons.find(addonId).orElseThrow();
    }
}
