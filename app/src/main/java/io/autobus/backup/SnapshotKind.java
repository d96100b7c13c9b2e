package io.autobus.backup;

import java.time.Duration;
import java.util.Optional;

/** Why a snapshot was taken, which decides how long it is kept (the seed's retention table). */
public enum SnapshotKind {
    MANUAL("Manual", null),
    DAILY("Daily", Duration.ofDays(7)),
    WEEKLY("Weekly", Duration.ofDays(28)),
    MONTHLY("Monthly", Duration.ofDays(365));

    private final String label;
    private final Duration retention;

    SnapshotKind(String label, Duration retention) {
        this.label = label;
        this.retention = retention;
    }

    /** As the seed's API shows it: {@code "Daily"}. */
    public String label() {
        return label;
    }

    /** Empty for manual snapshots: kept until the customer deletes them (a plan caps how many may be taken). */
    public Optional<Duration> retention() {
        return Optional.ofNullable(retention);
    }

    public String dbValue() {
        return name().toLowerCase();
    }

    public static SnapshotKind fromDb(String value) {
        return valueOf(value.toUpperCase());
    }
}
