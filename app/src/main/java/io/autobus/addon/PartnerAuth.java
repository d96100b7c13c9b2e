package io.autobus.addon;

import io.autobus.crypto.Tokens;
import io.autobus.http.BasicCredentials;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;

/** HTTP Basic auth of Heroku's calls: the manifest's id and api.password, compared in constant time. */
public final class PartnerAuth {
    private final String addonId;
    private final String password;

    public PartnerAuth(String addonId, String password) {
        this.addonId = addonId;
        this.password = password;
    }

    public void require(Context ctx) {
        var credentials = BasicCredentials.of(ctx);
        // Both compares always run, so the answer's timing does not tell which part was wrong.
        boolean userOk = credentials.isPresent() && Tokens.constantTimeEquals(credentials.get().user(), addonId);
        boolean passwordOk = credentials.isPresent() && Tokens.constantTimeEquals(credentials.get().password(), password);
        if (!(userOk & passwordOk)) {
            ctx.header("WWW-Authenticate", "Basic realm=\"autobus\"");
            throw new UnauthorizedResponse("Wrong or missing credentials for the add-on partner API.");
        }
    }
}
