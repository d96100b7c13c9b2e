package io.autobus.config;

import java.util.List;

/** The environment cannot start the service; the message lists every problem. */
public final class SettingsException extends RuntimeException {
    public SettingsException(List<String> problems) {
        super("Autobus cannot start:\n  - " + String.join("\n  - ", problems));
    }
}
