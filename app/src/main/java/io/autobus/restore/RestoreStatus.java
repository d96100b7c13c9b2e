package io.autobus.restore;

import java.util.Locale;

public enum RestoreStatus {
    PENDING, RUNNING, COMPLETED, FAILED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RestoreStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean finished() {
        return this == COMPLETED || this == FAILED;
    }
}
