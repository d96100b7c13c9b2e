package io.autobus.addon;

import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes an add-on and everything it owns, as the seed promises ("This will destroy all
 * associated data and cannot be undone"): first every stored snapshot object (a failure here
 * answers Heroku with an error, and Heroku retries), then the rows (ON DELETE CASCADE).
 */
public final class AddonDeprovisioner {
    private static final Logger LOG = LoggerFactory.getLogger(AddonDeprovisioner.class);

    public enum Outcome { REMOVED, ALREADY_REMOVED, UNKNOWN }

    /** Deletes the stored objects of an add-on's snapshots (the backup feature provides it). */
    public interface StoredObjects {
        int deleteAll(UUID addonId);
    }

    /** Ends what the add-on subscribed to at Heroku (its app's releases); best effort, Heroku ends it with the add-on too. */
    public interface Subscriptions {
        void unsubscribe(UUID addonId);
    }

    private final AddonRepository addons;
    private final StoredObjects storedObjects;
    private final Subscriptions subscriptions;
    private final Clock clock;

    public AddonDeprovisioner(AddonRepository addons, StoredObjects storedObjects, Subscriptions subscriptions, Clock clock) {
        this.addons = addons;
        this.storedObjects = storedObjects;
        this.subscriptions = subscriptions;
        this.clock = clock;
    }

    public Outcome deprovision(UUID addonId) {
        if (addons.find(addonId).isPresent()) {
            int deleted = storedObjects.deleteAll(addonId);
            LOG.info("event=snapshot_objects_deleted addon={} count={}", addonId, deleted);
            subscriptions.unsubscribe(addonId);
        }
        if (addons.delete(addonId, clock.instant())) {
            LOG.info("event=deprovisioned addon={}", addonId);
            return Outcome.REMOVED;
        }
        return addons.wasDeprovisioned(addonId) ? Outcome.ALREADY_REMOVED : Outcome.UNKNOWN;
    }
}
