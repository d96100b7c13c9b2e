package io.autobus.addon;

import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moves an add-on to another plan; the new limits apply from the next backup on. */
public final class PlanChanger {
    private static final Logger LOG = LoggerFactory.getLogger(PlanChanger.class);

    private final AddonRepository addons;
    private final Clock clock;

    public PlanChanger(AddonRepository addons, Clock clock) {
        this.addons = addons;
        this.clock = clock;
    }

    /** False when there is no such add-on. */
    public boolean change(UUID addonId, Plan plan) {
        boolean changed = addons.updatePlan(addonId, plan, clock.instant());
        if (changed) {
            LOG.info("event=plan_changed addon={} plan={}", addonId, plan.slug());
        }
        return changed;
    }
}
