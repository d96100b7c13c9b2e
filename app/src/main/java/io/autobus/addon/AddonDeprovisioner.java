package io.autobus.addon;

import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes an add-on and everything it owns, as the seed promises ("This will destroy all
 * associated data and cannot be undone"). The rows go through ON DELETE CASCADE; stored
 * snapshot objects, once backups exist (issue #3), are deleted here first.
 */
public final class AddonDeprovisioner {
    private static final Logger LOG = LoggerFactory.getLogger(AddonDeprovisioner.class);

    public enum Outcome { REMOVED, ALREADY_REMOVED, UNKNOWN }

    private final AddonRepository addons;
    private final Clock clock;

    public AddonDeprovisioner(AddonRepository addons, Clock clock) {
        this.addons = addons;
        this.clock = clock;
    }

    public Outcome deprovision(UUID addonId) {
        if (addons.delete(addonId, clock.instant())) {
            LOG.info("event=deprovisioned addon={}", addonId);
            return Outcome.REMOVED;
        }
        return addons.wasDeprovisioned(addonId) ? Outcome.ALREADY_REMOVED : Outcome.UNKNOWN;
    }
}
