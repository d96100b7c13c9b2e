package io.autobus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** A browser signed in to the dashboard through Heroku's SSO: its cookie and its forms' token. */
public record DashboardSession(HttpDriver http, String cookie, String csrf) {

    public static DashboardSession open(HttpDriver http, UUID addonId, Instant issuedAt, String salt, String app) {
        var login = http.postForm("/sso/login", HerokuSso.form(addonId, issuedAt, salt, app));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        String cookie = HerokuSso.cookie(login);
        var matcher = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"").matcher(http.get("/dashboard", cookie).body());
        assertThat(matcher.find()).as("the dashboard's forms carry a token").isTrue();
        return new DashboardSession(http, cookie, matcher.group(1));
    }

    public HttpResponse<String> page() {
        return http.get("/dashboard", cookie);
    }

    public HttpResponse<String> get(String path) {
        return http.get(path, cookie);
    }

    /** The page an action redirected to, as a browser opens it: with the cookies the action set (its message). */
    public HttpResponse<String> follow(HttpResponse<String> action) {
        assertThat(action.statusCode()).as(action.body()).isIn(302, 303);
        var cookies = new StringBuilder(cookie);
        action.headers().allValues("Set-Cookie").forEach(set -> cookies.append("; ").append(set.split(";")[0]));
        return http.get(action.headers().firstValue("Location").orElseThrow().replaceFirst("#.*", ""), cookies.toString());
    }

    /** Submits a dashboard form, with the session's token. */
    public HttpResponse<String> post(String path, Map<String, String> form) {
        var withToken = new HashMap<>(form);
        withToken.put("csrf", csrf);
        return http.postFormWithCookie(path, withToken, cookie);
    }
}
