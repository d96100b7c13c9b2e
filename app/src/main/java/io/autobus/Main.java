package io.autobus;

import io.autobus.config.Settings;
import io.autobus.config.SettingsException;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar autobus.jar [web|worker]}: no argument runs both, as in development. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        Settings settings;
        Set<Role> roles;
        try {
            settings = Settings.fromEnvironment(System.getenv());
            roles = Role.fromArgs(args);
        } catch (SettingsException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        var app = App.create(settings, Clock.systemUTC(), roles).start(settings.port());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "autobus-shutdown"));
        LOG.info("event=started roles={} port={} {}", roles, app.port(), settings);
        StartupNotice.print(settings, app.port(), System.out);
    }
}
