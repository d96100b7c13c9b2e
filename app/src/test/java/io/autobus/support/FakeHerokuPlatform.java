package io.autobus.support;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.autobus.support.FakeHerokuIdentity.json;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Heroku's Platform API (api.heroku.com): one route per endpoint Autobus calls, answering with
 * the documented JSON shapes. Routes check the Bearer token and the v3 Accept header, so a call
 * with the wrong credential gets Heroku's 401/403 instead of data.
 */
public final class FakeHerokuPlatform implements AutoCloseable {
    /** The Heroku API key of Autobus's own account (HEROKU_API_KEY). */
    public static final String AUTOBUS_ACCOUNT_KEY = "test-autobus-account-key";
    private static final String ACCEPT = "application/vnd.heroku+json; version=3";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());

    public FakeHerokuPlatform() {
        server.start();
    }

    public String url() {
        return server.baseUrl();
    }

    /** {@code GET /addons/{id}} answers, for the add-on's partner token, that it belongs to the app. */
    public void givenAddon(UUID addonId, UUID appId, String appName, String partnerToken) {
        server.stubFor(get(urlPathEqualTo("/addons/" + addonId))
                .withHeader("Accept", equalTo(ACCEPT))
                .withHeader("Authorization", equalTo("Bearer " + partnerToken))
                .willReturn(json(200, substitute(Fixtures.read("platform/addon-info.json"), addonId, appId, appName))));
    }

    /** {@code GET /apps/{app}/collaborators} lists the app's owner and a collaborator. */
    public void givenCollaborators(UUID appId, String appName, String partnerToken) {
        server.stubFor(get(urlPathEqualTo("/apps/" + appId + "/collaborators"))
                .withHeader("Authorization", equalTo("Bearer " + partnerToken))
                .willReturn(json(200, substitute(Fixtures.read("platform/app-collaborators.json"), null, appId, appName))));
    }

    /** Our account collaborates on the app: {@code GET /apps/{app}/config-vars} answers. */
    public void givenConfigVars(UUID appId, String fixture) {
        server.stubFor(get(urlPathEqualTo("/apps/" + appId + "/config-vars"))
                .withHeader("Accept", equalTo(ACCEPT))
                .withHeader("Authorization", equalTo("Bearer " + AUTOBUS_ACCOUNT_KEY))
                .willReturn(json(200, Fixtures.read(fixture))));
    }

    /** The same, with config vars of the test's own (pointing at real local databases). */
    public void givenConfigVarsJson(UUID appId, String json) {
        server.stubFor(get(urlPathEqualTo("/apps/" + appId + "/config-vars"))
                .withHeader("Accept", equalTo(ACCEPT))
                .withHeader("Authorization", equalTo("Bearer " + AUTOBUS_ACCOUNT_KEY))
                .willReturn(json(200, json)));
    }

    /** Our account is not (or no longer) a collaborator: Heroku answers 403 forbidden. */
    public void givenNotCollaborator(UUID appId, String appName) {
        server.stubFor(get(urlPathEqualTo("/apps/" + appId + "/config-vars"))
                .willReturn(json(403, substitute(Fixtures.read("platform/error-forbidden.json"), null, appId, appName))));
    }

    /** Our account's requests are spent: {@code GET /apps/{app}/config-vars} answers, saying {@code RateLimit-Remaining: 0}. */
    public void givenConfigVarsSpendingTheRateLimit(UUID appId, String json) {
        server.stubFor(get(urlPathEqualTo("/apps/" + appId + "/config-vars"))
                .withHeader("Authorization", equalTo("Bearer " + AUTOBUS_ACCOUNT_KEY))
                .willReturn(json(200, json).withHeader("RateLimit-Remaining", "0")));
    }

    /** {@code GET /apps/{app}/config-vars} fails with {@code failure}, every time. */
    public void givenConfigVarsFailing(UUID appId, ResponseDefinitionBuilder failure) {
        server.stubFor(get(urlPathEqualTo("/apps/" + appId + "/config-vars")).willReturn(failure));
    }

    /** {@code GET /apps/{app}/config-vars} fails with {@code failure} once, then answers {@code json}. */
    public void givenConfigVarsAfter(UUID appId, ResponseDefinitionBuilder failure, String json) {
        String scenario = "config-vars-" + appId;
        server.stubFor(get(urlPathEqualTo("/apps/" + appId + "/config-vars")).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(failure).willSetStateTo("answered"));
        server.stubFor(get(urlPathEqualTo("/apps/" + appId + "/config-vars")).inScenario(scenario)
                .whenScenarioStateIs("answered")
                .withHeader("Authorization", equalTo("Bearer " + AUTOBUS_ACCOUNT_KEY))
                .willReturn(json(200, json)));
    }

    /** Heroku's 503, as its API answers while it is down. */
    public static ResponseDefinitionBuilder unavailable() {
        return json(503, Fixtures.read("platform/error-unavailable.json"));
    }

    /** Heroku's 429 once our account's requests are spent, asking us to wait {@code retryAfter}. */
    public static ResponseDefinitionBuilder rateLimited(String retryAfter) {
        return json(429, Fixtures.read("platform/error-rate-limit.json"))
                .withHeader("RateLimit-Remaining", "0")
                .withHeader("Retry-After", retryAfter);
    }

    /** Heroku's answer with this status and error fixture, e.g. 401 {@code platform/error-unauthorized.json}. */
    public static ResponseDefinitionBuilder error(int status, String fixture) {
        return json(status, Fixtures.read(fixture));
    }

    /** {@code POST /addons/{id}/webhooks} with the add-on's partner token subscribes it, answering the webhook's id. */
    public void givenWebhookSubscriptions(UUID addonId, String partnerToken, String webhookId) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/addons/" + addonId + "/webhooks"))
                .withHeader("Accept", equalTo(ACCEPT))
                .withHeader("Authorization", equalTo("Bearer " + partnerToken))
                .willReturn(json(201, "{\"id\": \"" + webhookId + "\", \"include\": [\"api:release\"], \"level\": \"sync\"}")));
    }

    /** {@code GET /apps/{app}/releases} (newest first, one) answers the app's current release, to our account's key. */
    public void givenCurrentRelease(UUID appId, int version, String description) {
        server.stubFor(get(urlPathEqualTo("/apps/" + appId + "/releases"))
                .withHeader("Range", equalTo("version ..; order=desc, max=1"))
                .withHeader("Authorization", equalTo("Bearer " + AUTOBUS_ACCOUNT_KEY))
                .willReturn(json(206, "[{\"version\": " + version + ", \"status\": \"succeeded\", \"description\": \"" + description
                        + "\", \"created_at\": \"2026-11-01T10:00:00Z\", \"current\": true}]")));
    }

    /**
     * Every add-on may subscribe to its app's releases, and every app is at release 1: for tests of many add-ons that
     * do not look at releases (an unanswered call costs WireMock a comparison with every stub).
     */
    public void givenReleasesOfEveryApp() {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/addons/[^/]+/webhooks"))
                .willReturn(json(201, "{\"id\": \"0f0f0f0f-0000-4000-8000-0000000000ff\", \"include\": [\"api:release\"], \"level\": \"sync\"}")));
        server.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/apps/[^/]+/releases"))
                .willReturn(json(206, "[{\"version\": 1, \"status\": \"succeeded\", \"description\": \"Initial release\","
                        + " \"created_at\": \"2026-11-01T10:00:00Z\", \"current\": true}]")));
    }

    /** {@code DELETE /addons/{id}/webhooks/{webhook}} removes it. */
    public void givenWebhookRemoval(UUID addonId, String webhookId) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo("/addons/" + addonId + "/webhooks/" + webhookId))
                .willReturn(json(200, "{\"id\": \"" + webhookId + "\"}")));
    }

    /** {@code DELETE /addons/{id}/webhooks/{webhook}} answers {@code failure}. */
    public void givenWebhookRemovalFailing(UUID addonId, String webhookId, ResponseDefinitionBuilder failure) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo("/addons/" + addonId + "/webhooks/" + webhookId))
                .willReturn(failure));
    }

    public int webhookRemovalsOf(UUID addonId, String webhookId) {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                urlPathEqualTo("/addons/" + addonId + "/webhooks/" + webhookId))).size();
    }

    /** The bodies of the subscription requests made for the add-on. */
    public java.util.List<String> webhookSubscriptionsOf(UUID addonId) {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/addons/" + addonId + "/webhooks")))
                .stream().map(request -> request.getBodyAsString()).toList();
    }

    public int configVarReadsOf(UUID appId) {
        return configVarReadTimesOf(appId).size();
    }

    /** When Heroku received each read of the app's config vars, in order (WireMock's journal, to the millisecond). */
    public List<Instant> configVarReadTimesOf(UUID appId) {
        return server.findAll(getRequestedFor(urlPathEqualTo("/apps/" + appId + "/config-vars"))).stream()
                .map(request -> request.getLoggedDate().toInstant()).sorted().toList();
    }

    private static String substitute(String fixture, UUID addonId, UUID appId, String appName) {
        String result = fixture.replace(Fixtures.APP_ID, appId.toString()).replace(Fixtures.APP_NAME, appName);
        return addonId == null ? result : result.replace(Fixtures.ADDON_ID, addonId.toString());
    }

    @Override
    public void close() {
        server.stop();
    }
}
