package io.autobus.release;

import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.backup.ManualSnapshots;
import io.autobus.backup.SnapshotRepository;
import io.autobus.release.ReleaseWebhooks;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Snapshot after each successful release" (off by default): when a release succeeds, a manual
 * snapshot of each of the add-on's databases, described "after v<N>", at most one an hour per
 * database (a burst of releases makes one).
 */
public final class AfterReleaseSnapshots implements ReleaseWebhooks.AfterRelease {
    private static final Logger LOG = LoggerFactory.getLogger(AfterReleaseSnapshots.class);
    private static final Duration AT_MOST_EVERY = Duration.ofHours(1);
    private static final String PREFIX = "after v";

    private final io.autobus.backup.BackupSettings settings;
    private final AddonRepository addons;
    private final SnapshotRepository snapshots;
    private final ManualSnapshots manualSnapshots;
    private final Clock clock;

    public AfterReleaseSnapshots(io.autobus.backup.BackupSettings settings, AddonRepository addons, SnapshotRepository snapshots,
                                 ManualSnapshots manualSnapshots, Clock clock) {
        this.settings = settings;
        this.addons = addons;
        this.snapshots = snapshots;
        this.manualSnapshots = manualSnapshots;
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
            try {
                manualSnapshots.take(addonId, database.configVar(), PREFIX + version);
            } catch (RuntimeException e) {
                LOG.warn("event=after_release_snapshot_refused addon={} database={} reason=\"{}\"", addonId, database.configVar(),
                        String.valueOf(e.getMessage()).replace('"', '\''));
            }
        }
    }
}
