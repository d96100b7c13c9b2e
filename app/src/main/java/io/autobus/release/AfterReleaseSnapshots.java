package io.autobus.release;

import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.backup.ManualSnapshots;
import io.autobus.backup.SnapshotRepository;
import io.autobus.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Snapshot after each successful release" (off by default): when a release succeeds, a manual
 * snapshot of each of the add-on's databases, described "after v<N>", at most one an hour per
 * database (a burst of releases makes one). When the plan's cap on manual snapshots refuses one,
 * the owner is told (once, as a problem that goes on until one is taken again): they asked for a
 * snapshot after every release and would otherwise learn of the gap only when they need it.
 */
public final class AfterReleaseSnapshots implements ReleaseWebhooks.AfterRelease {
    private static final Logger LOG = LoggerFactory.getLogger(AfterReleaseSnapshots.class);
    private static final Duration AT_MOST_EVERY = Duration.ofHours(1);
    private static final String PREFIX = "after v";

    private final io.autobus.backup.BackupSettings settings;
    private final AddonRepository addons;
    private final SnapshotRepository snapshots;
    private final ManualSnapshots manualSnapshots;
    private final Notifier notifier;
    private final Clock clock;

    public AfterReleaseSnapshots(io.autobus.backup.BackupSettings settings, AddonRepository addons, SnapshotRepository snapshots,
                                 ManualSnapshots manualSnapshots, Notifier notifier, Clock clock) {
        this.settings = settings;
        this.addons = addons;
        this.snapshots = snapshots;
        this.manualSnapshots = manualSnapshots;
        this.notifier = notifier;
        this.clock = clock;
    }

    @Override
    public void succeeded(UUID addonId, int version) {
        if (!settings.snapshotAfterRelease(addonId)) {
            return;
        }
        for (FoundDatabase database : addons.databases(addonId)) {
            if (snapshots.describedSince(addonId, database.configVar(), PREFIX, clock.instant().minus(AT_MOST_EVERY))) {
                continue;
            }
            String topic = "after-release:" + database.configVar();
            try {
                manualSnapshots.take(addonId, database.configVar(), PREFIX + version);
                notifier.resolved(addonId, topic, "after_release_snapshot.taken", "Snapshots of " + database.configVar()
                        + " after releases are taken again", "The snapshot after v" + version + " was taken.");
            } catch (ManualSnapshots.CapReachedException e) {
                notifier.problem(addonId, topic, "after_release_snapshot.refused", "No snapshot of " + database.configVar()
                        + " after v" + version, "Release v" + version + " succeeded, but its snapshot was not taken. " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("event=after_release_snapshot_refused addon={} database={} reason=\"{}\"", addonId, database.configVar(),
                        String.valueOf(e.getMessage()).replace('"', '\''));
            }
        }
    }
}
