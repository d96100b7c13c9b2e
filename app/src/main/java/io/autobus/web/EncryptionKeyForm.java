package io.autobus.web;

import io.autobus.backup.CustomerKeys;
import io.javalin.http.Context;
import java.util.UUID;

/**
 * The Settings tab's "Your own encryption key": a test file encrypted to the pasted key, then
 * turning encryption on with the phrase it holds and the customer's word that they keep the
 * private key (a lost private key is lost backups); and turning it off.
 */
public final class EncryptionKeyForm {
    private final WebSessions sessions;
    private final CustomerKeys keys;
    private final Dashboard dashboard;
    private final Flash flash;

    public EncryptionKeyForm(WebSessions sessions, CustomerKeys keys, Dashboard dashboard, Flash flash) {
        this.sessions = sessions;
        this.keys = keys;
        this.dashboard = dashboard;
        this.flash = flash;
    }

    /** {@code GET /dashboard/encryption/sample?recipient=age1...}: the test file, {@code autobus-sample.txt.age}. */
    public void sample(Context ctx) {
        sample(ctx, sessions.current(ctx).orElseThrow(SignedIn::required).addonId(), ctx.queryParam("recipient"));
    }

    /** {@code POST /dashboard/encryption/sample}: the same from the Settings form (its token stays out of the URL). */
    public void sampleFromForm(Context ctx) {
        sample(ctx, sessions.currentForForm(ctx).orElseThrow(SignedIn::required).addonId(), ctx.formParam("recipient"));
    }

    private void sample(Context ctx, UUID addonId, String recipient) {
        byte[] sample;
        try {
            sample = keys.sample(addonId, recipient);
        } catch (IllegalArgumentException e) {
            dashboard.settings(ctx, Refused.of(ctx, "encryption", e.getMessage()));
            return;
        }
        ctx.contentType("application/octet-stream")
                .header("Content-Disposition", io.autobus.storage.ContentDisposition.attachment(CustomerKeys.SAMPLE_FILE))
                .result(sample);
    }

    /** {@code POST /dashboard/encryption}: on, with the sample's phrase and the ticked warning. */
    public void enable(Context ctx) {
        UUID addonId = sessions.currentForForm(ctx).orElseThrow(SignedIn::required).addonId();
        String recipient = ctx.formParam("recipient");
        try {
            if (ctx.formParam("keep_key_safe") == null) {
                throw new IllegalArgumentException("Tick \"I keep the private key safe\": without it these snapshots cannot be restored,"
                        + " by you or by Autobus.");
            }
            String phrase = ctx.formParam("phrase");
            if (phrase == null || phrase.isBlank()) {
                throw new IllegalArgumentException("Download the test file, decrypt it with age -d -i key.txt " + CustomerKeys.SAMPLE_FILE
                        + " and paste the phrase it shows: that proves you hold the private key.");
            }
            var used = keys.use(addonId, recipient, phrase);
            flash.say(ctx, "Encryption on: from the next snapshot on, snapshots are encrypted to " + used.text()
                    + " and only your private key opens them. Earlier snapshots stay as they are.");
        } catch (IllegalArgumentException e) {
            // A pasted private key is not shown again on the page (the refusal says to make a new pair).
            boolean secret = recipient != null && recipient.strip().startsWith("AGE-SECRET-KEY-");
            dashboard.settings(ctx, secret ? Refused.of(ctx, "encryption", e.getMessage(), "recipient") : Refused.of(ctx, "encryption", e.getMessage()));
            return;
        }
        ctx.redirect("/dashboard/settings#encryption");
    }

    /** {@code POST /dashboard/encryption/off} */
    public void disable(Context ctx) {
        UUID addonId = sessions.currentForForm(ctx).orElseThrow(SignedIn::required).addonId();
        keys.stop(addonId);
        flash.say(ctx, "Encryption off: later snapshots are stored unencrypted (on top of the store's own encryption)."
                + " Snapshots encrypted so far stay encrypted: keep your private key for them.");
        ctx.redirect("/dashboard/settings#encryption");
    }
}
