package io.autobus.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/**
 * Heroku's OAuth server (id.heroku.com), one route: {@code POST /oauth/token}, answering with
 * the documented token and error shapes.
 */
public final class FakeHerokuIdentity implements AutoCloseable {
    public static final String CLIENT_SECRET = "test-oauth-client-secret";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());

    public FakeHerokuIdentity() {
        server.start();
    }

    public String url() {
        return server.baseUrl();
    }

    /** The grant {@code code} is exchanged for these tokens. */
    public void givenGrant(String code, String accessToken, String refreshToken, long expiresIn) {
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .withFormParam("grant_type", equalTo("authorization_code"))
                .withFormParam("code", equalTo(code))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                .willReturn(json(200, tokens(accessToken, refreshToken, expiresIn, "identity/token-grant.json"))));
    }

    /** The code's first exchange fails with {@code failure} (Heroku's hiccup); the next one gives these tokens. */
    public void givenGrantAfter(ResponseDefinitionBuilder failure, String code, String accessToken, String refreshToken, long expiresIn) {
        String scenario = "grant-" + code;
        server.stubFor(post(urlPathEqualTo("/oauth/token")).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .withFormParam("code", equalTo(code))
                .willReturn(failure).willSetStateTo("answered"));
        server.stubFor(post(urlPathEqualTo("/oauth/token")).inScenario(scenario)
                .whenScenarioStateIs("answered")
                .withFormParam("grant_type", equalTo("authorization_code"))
                .withFormParam("code", equalTo(code))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                .willReturn(json(200, tokens(accessToken, refreshToken, expiresIn, "identity/token-grant.json"))));
    }

    /** The refresh token gives a new access token. */
    public void givenRefresh(String refreshToken, String newAccessToken, long expiresIn) {
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .withFormParam("grant_type", equalTo("refresh_token"))
                .withFormParam("refresh_token", equalTo(refreshToken))
                .withFormParam("client_secret", equalTo(CLIENT_SECRET))
                .willReturn(json(200, tokens(newAccessToken, refreshToken, expiresIn, "identity/token-refresh.json"))));
    }

    /** The code is refused, as Heroku refuses an expired or reused grant. */
    public void givenRejectedGrant(String code) {
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .withFormParam("code", equalTo(code))
                .willReturn(json(401, Fixtures.read("identity/error-invalid-grant.json"))));
    }

    public int exchangesOf(String code) {
        return server.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))
                .withFormParam("grant_type", equalTo("authorization_code"))
                .withFormParam("code", equalTo(code))).size();
    }

    public int refreshesOf(String refreshToken) {
        return server.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))
                .withFormParam("grant_type", equalTo("refresh_token"))
                .withFormParam("refresh_token", equalTo(refreshToken))).size();
    }

    private static String tokens(String accessToken, String refreshToken, long expiresIn, String fixture) {
        return Fixtures.read(fixture)
                .replaceFirst("\"access_token\": \"[^\"]*\"", "\"access_token\": \"" + accessToken + "\"")
                .replaceFirst("\"refresh_token\": \"[^\"]*\"", "\"refresh_token\": \"" + refreshToken + "\"")
                .replaceFirst("\"expires_in\": \\d+", "\"expires_in\": " + expiresIn);
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
