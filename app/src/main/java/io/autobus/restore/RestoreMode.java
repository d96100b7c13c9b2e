package io.autobus.restore;

import java.util.Locale;

/** What a restore does to the target. */
public enum RestoreMode {
    /** The whole snapshot over the target: {@code pg_restore --clean --if-exists}, or the MySQL dump's own DROP TABLEs. */
    WHOLE,
    /** Chosen tables beside the live ones (a schema {@code restored_<snapshot id>}, or tables {@code <name>_restored_<id>}). */
    ALONGSIDE,
    /** Chosen tables dropped and recreated from the snapshot. */
    REPLACE;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RestoreMode of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Whole and replace restores overwrite live data: they need the app's name, and take a snapshot of the target first. */
    public boolean overwrites() {
        return this != ALONGSIDE;
    }
}
