package io.autobus.heroku;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One of the app's releases, as Heroku reported it.
 *
 * @param status {@code pending}, {@code succeeded} or {@code failed}
 * @param commit the commit deployed, when known; null otherwise
 */
public record Release(int version, String status, String description, String commit, Instant createdAt) {
    /** Heroku describes a Git deploy as {@code Deploy abc1234}. */
    private static final Pattern DEPLOY = Pattern.compile("^Deploy ([0-9a-f]{7,40})\\b");

    /** The commit a release description names ("Deploy abc1234"); null when it names none. */
    public static String commitOf(String description) {
        var matcher = DEPLOY.matcher(description == null ? "" : description);
        return matcher.find() ? matcher.group(1) : null;
    }
}
