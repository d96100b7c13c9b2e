package io.autobus.backup;

import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.crypto.SecretBox;
import io.autobus.db.DatabaseUrl;
import io.autobus.net.CustomerAddresses;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Attaches a database to an add-on by its URL, for Autobus without Heroku (development, or a
 * team backing up its own databases). The URL is kept sealed; it is the only credential Autobus
 * stores.
 */
public final class DatabaseAttacher {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,99}");

    private final AddonRepository addons;
    private final SecretBox secrets;
    private final Clock clock;
    private final CustomerAddresses addresses;

    public DatabaseAttacher(AddonRepository addons, SecretBox secrets, Clock clock, CustomerAddresses addresses) {
        this.addons = addons;
        this.secrets = secrets;
        this.clock = clock;
        this.addresses = addresses;
    }

    /**
     * @param name like a config var: {@code LOCAL} or {@code LOCAL_URL} (stored as {@code LOCAL_URL})
     * @throws IllegalArgumentException with a message for the user when the name or URL is not usable
     */
    public FoundDatabase attach(UUID addonId, String name, String url) {
        Addon addon = addons.find(addonId).orElseThrow(() -> new IllegalArgumentException("No such add-on."));
        String configVar = configVar(name);
        var existing = addons.databaseEntry(addonId, configVar);
        if (existing.isPresent() && !existing.get().attached()) {
            throw new IllegalArgumentException(configVar + " is one of the app's own config vars; choose another name.");
        }
        DatabaseUrl parsed = DatabaseUrl.parse(url == null ? "" : url);
        addresses.refuseForbidden(parsed.host()); // at once on the dashboard; checked again before each backup
        String engine = parsed.engine() == DatabaseUrl.Engine.POSTGRESQL ? "postgresql"
                : url.trim().toLowerCase(Locale.ROOT).startsWith("mariadb:") ? "mariadb" : "mysql";
        var database = new FoundDatabase(configVar, engine, parsed.host(), parsed.port(), parsed.database());
        addons.attach(addonId, database, secrets.seal(BackupTargets.urlPurpose(addon, configVar), url.trim()), clock.instant());
        return database;
    }

    private static String configVar(String name) {
        String upper = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        if (!NAME.matcher(upper).matches()) {
            throw new IllegalArgumentException("A database name is letters, digits and _, starting with a letter (like LOCAL or DATABASE).");
        }
        return upper.endsWith("_URL") ? upper : upper + "_URL";
    }
}
