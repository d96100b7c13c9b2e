package io.autobus.addon;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the access check starts once the add-on can reach its app: following the app's releases
 * (the release package subscribes to them and learns the current one).
 */
public interface ReleaseFollowing {
    /** Subscribes the add-on to its app's releases unless it is already. */
    void ensure(UUID addonId, Supplier<String> partnerToken);

    /** Until a delivery has come, reads the app's current release once with {@code token}. */
    void learnCurrentRelease(UUID addonId, String app, String token, Instant now);
}
