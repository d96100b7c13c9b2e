package io.autobus.backup;

/** pending → running → completed | failed. */
public enum SnapshotStatus {
    PENDING, RUNNING, COMPLETED, FAILED;

    public String dbValue() {
        return name().toLowerCase();
    }

    public static SnapshotStatus fromDb(String value) {
        return valueOf(value.toUpperCase());
    }
}
