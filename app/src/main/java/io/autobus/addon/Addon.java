package io.autobus.addon;

import java.time.Instant;
import java.util.UUID;

/** An add-on as the rest of the service sees it: no secrets here. */
public record Addon(
        UUID id,
        String name,
        Plan plan,
        String region,
        UUID appId,
        String appName,
        String ownerEmail,
        AccessState accessState,
        String accessMessage,
        Instant accessCheckedAt,
        Instant nextAccessCheckAt,
        Instant createdAt) {
}
