package io.autobus.support;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/** Plays Heroku's side of the partner protocol against the running service. */
public final class HerokuPartner {
    private final HttpDriver http;
    private final Map<String, String> auth;

    public HerokuPartner(HttpDriver http, String user, String password) {
        this.http = http;
        this.auth = Map.of("Authorization", HttpDriver.basic(user, password));
    }

    public static HerokuPartner of(TestApp app) {
        return new HerokuPartner(app.http, TestApp.ADDON_ID, TestApp.PASSWORD);
    }

    /** The documented provision request, with this add-on's uuid, plan and grant code. */
    public static String provisionBody(UUID addonId, String plan, String grantCode) {
        return Fixtures.read("partner/provision-request.json")
                .replace(Fixtures.ADDON_ID, addonId.toString())
                .replace("\"plan\": \"free\"", "\"plan\": \"" + plan + "\"")
                .replace("4c7e2a91-3b5d-4f60-8a1c-9d2e7b3f6a05", grantCode);
    }

    public HttpResponse<String> provision(UUID addonId, String plan, String grantCode) {
        return provision(provisionBody(addonId, plan, grantCode));
    }

    public HttpResponse<String> provision(String body) {
        return http.send("POST", "/heroku/resources", body, auth);
    }

    public HttpResponse<String> changePlan(String addonId, String plan) {
        return http.send("PUT", "/heroku/resources/" + addonId, "{\"plan\":\"" + plan + "\"}", auth);
    }

    public HttpResponse<String> deprovision(String addonId) {
        return http.send("DELETE", "/heroku/resources/" + addonId, null, auth);
    }
}
