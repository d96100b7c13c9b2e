package io.autobus.backup;

import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.crypto.SecretBox;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.DumpException;
import io.autobus.dump.DumpOptions;
import io.autobus.heroku.HerokuApiException;
import io.autobus.heroku.PlatformApiClient;
import io.autobus.net.CustomerAddresses;
import io.autobus.net.CustomerAddresses.AddressNotAllowedException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where a database is and how to dump it (or restore into it), right before a run: an attached
 * database's sealed URL, or the config var read fresh from Heroku (Heroku rotates credentials). The host is resolved
 * here, once, under the customer address rule; the dump connects to that address.
 */
public final class BackupTargets {
    private final AddonRepository addons;
    private final PlatformApiClient platform;
    private final Optional<String> herokuApiKey;
    private final SecretBox secrets;
    private final CustomerAddresses addresses;

    public BackupTargets(AddonRepository addons, PlatformApiClient platform, Optional<String> herokuApiKey, SecretBox secrets,
                         CustomerAddresses addresses) {
        this.addons = addons;
        this.platform = platform;
        this.herokuApiKey = herokuApiKey;
        this.secrets = secrets;
        this.addresses = addresses;
    }

    /**
     * A database to dump. {@code toString()} shows no credentials.
     *
     * @param address the URL's host, resolved and checked: the only address the dump may connect to
     */
    public record Target(DatabaseUrl url, InetAddress address, String engine, DumpOptions options) {
    }

    /**
     * A database to dump or restore into: one of the add-on's databases (an attached one by its sealed URL), or any
     * config var of the app that holds a PostgreSQL or MySQL URL (a restore's target, a safety snapshot of it).
     */
    public Target resolve(Addon addon, String configVar) {
        var entry = addons.databaseEntry(addon.id(), configVar);
        if (entry.isPresent() && entry.get().attached()) {
            return target(DatabaseUrl.parse(secrets.open(urlPurpose(addon, configVar), entry.get().urlSealed())),
                    entry.get().database().engine(), DumpOptions.fromJson(entry.get().dumpOptions()));
        }
        String value = configVar(addon, configVar);
        DatabaseUrl url;
        try {
            url = DatabaseUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw new DumpException(configVar + " does not hold a database URL: " + e.getMessage(), e);
        }
        if (entry.isPresent()) {
            return target(url, entry.get().database().engine(), DumpOptions.fromJson(entry.get().dumpOptions()));
        }
        return target(url, url.engine().column(), DumpOptions.DEFAULT);
    }

    /** The app's config var, read fresh from Heroku (Heroku rotates credentials). */
    private String configVar(Addon addon, String configVar) {
        String app = addon.appId() != null ? addon.appId().toString() : addon.appName();
        if (app == null || herokuApiKey.isEmpty()) {
            throw new DumpException("Autobus cannot read the app's config vars yet: " + addon.accessMessage());
        }
        String value;
        try {
            value = platform.configVars(herokuApiKey.get(), app).get(configVar);
        } catch (HerokuApiException e) {
            throw new DumpException(e.accessDenied()
                    ? "Autobus has no access to the app's config vars: is it still a collaborator of the app?"
                    : e.transientFailure() ? e.getMessage() + ", so Autobus could not read the app's config vars for this run"
                    : "Autobus could not read the app's config vars: " + e.getMessage(), e);
        }
        if (value == null || value.isBlank()) {
            throw new DumpException(configVar + " is not set on the app");
        }
        return value;
    }

    private Target target(DatabaseUrl url, String engine, DumpOptions options) {
        try {
            return new Target(url, addresses.resolve(url.host()), engine, options);
        } catch (AddressNotAllowedException e) {
            throw new DumpException(e.getMessage(), e);
        } catch (UnknownHostException e) {
            throw new DumpException("could not connect to " + url + ": unknown host " + url.host(), e);
        }
    }

    /** The purpose an attached database's URL is sealed for. */
    public static String urlPurpose(Addon addon, String configVar) {
        return "database-url:" + addon.id() + ":" + configVar;
    }
}
