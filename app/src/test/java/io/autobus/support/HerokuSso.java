package io.autobus.support;

import io.autobus.crypto.Tokens;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The single sign-on form Heroku's SSO page posts for {@code heroku addons:open autobus}. */
public final class HerokuSso {
    private HerokuSso() {
    }

    /** The form, signed with {@code salt} at {@code issuedAt}, for a user of {@code app}. */
    public static Map<String, String> form(UUID addonId, Instant issuedAt, String salt, String app) {
        String timestamp = Long.toString(issuedAt.getEpochSecond());
        var form = new HashMap<String, String>();
        form.put("resource_id", addonId.toString());
        form.put("timestamp", timestamp);
        form.put("resource_token", Tokens.sha1Hex(addonId + ":" + salt + ":" + timestamp));
        form.put("email", "owner@example.com");
        form.put("user_id", UUID.randomUUID().toString());
        form.put("app", app);
        form.put("context_app", app);
        form.put("nav-data", "eyJhZGRvbiI6IkF1dG9idXMifQ");
        return form;
    }

    /** The session cookie a successful login set, as a Cookie request header value. */
    public static String cookie(HttpResponse<String> login) {
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }
}
