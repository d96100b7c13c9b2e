package io.autobus.backup;

import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.addon.Plan;
import io.autobus.crypto.SecretBox;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.DumpException;
import io.autobus.dump.Dumper;
import io.autobus.dump.Dumpers;
import io.autobus.net.CustomerAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Attaches a database to an add-on by its URL, for Autobus without Heroku (development, or a
 * team backing up its own databases), and detaches it. The URL is kept sealed; it is the only
 * credential Autobus stores. A database is saved only once a connection to it works and a tool
 * here can dump it, so a wrong port or password is told at once, not by every night's failure.
 */
public final class DatabaseAttacher {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,99}");

    private final AddonRepository addons;
    private final SecretBox secrets;
    private final Clock clock;
    private final CustomerAddresses addresses;
    private final Dumpers dumpers;

    public DatabaseAttacher(AddonRepository addons, SecretBox secrets, Clock clock, CustomerAddresses addresses, Dumpers dumpers) {
        this.addons = addons;
        this.secrets = secrets;
        this.clock = clock;
        this.addresses = addresses;
        this.dumpers = dumpers;
    }

    /** The database as saved, what the connection test found, and whether the plan backs it up. */
    public record Attached(FoundDatabase database, Dumper.Reachable reachable, boolean replaced, boolean covered) {
    }

    /**
     * @param name    like a config var: {@code LOCAL} or {@code LOCAL_URL} (stored as {@code LOCAL_URL})
     * @param replace the customer asked to point an attached name at this URL instead
     * @throws IllegalArgumentException with a message for the user when the name or URL is not usable, the plan
     *                                  covers no more databases, or the connection test failed
     */
    public Attached attach(UUID addonId, String name, String url, boolean replace) {
        Addon addon = addons.find(addonId).orElseThrow(() -> new IllegalArgumentException("No such add-on."));
        String configVar = configVar(name);
        var existing = addons.databaseEntry(addonId, configVar);
        if (existing.isPresent() && !existing.get().attached()) {
            throw new IllegalArgumentException(configVar + " is one of the app's own config vars; choose another name.");
        }
        if (existing.isPresent() && !replace) {
            var database = existing.get().database();
            throw new IllegalArgumentException(configVar + " is already attached (" + database.host() + "/" + database.databaseName()
                    + "). To point it at this URL instead, attach again with \"Replace\" ticked; or choose another name.");
        }
        DatabaseUrl parsed = DatabaseUrl.parse(url == null ? "" : url);
        if (existing.isEmpty()) {
            refuseBeyondPlan(addon);
        }
        InetAddress address;
        try {
            address = addresses.resolve(parsed.host()); // at once here; checked again before each backup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Could not connect: the host " + parsed.host() + " is unknown.");
        }
        Dumper.Reachable reachable;
        try {
            reachable = dumpers.forEngine(parsed.engine()).check(parsed, address);
        } catch (DumpException e) {
            throw new IllegalArgumentException("The connection test failed, so nothing was saved: " + e.getMessage() + ".");
        }
        String engine = parsed.engine() == DatabaseUrl.Engine.MYSQL && url.trim().toLowerCase(Locale.ROOT).startsWith("mariadb:")
                ? "mariadb" : parsed.engine().column();
        var database = new FoundDatabase(configVar, engine, parsed.host(), parsed.port(), parsed.database());
        addons.attach(addonId, database, secrets.seal(BackupTargets.urlPurpose(addon, configVar), url.trim()), clock.instant());
        return new Attached(database, reachable, existing.isPresent(), addons.coverage(addon).covers(configVar));
    }

    /**
     * Detaches an attached database: it is no longer backed up; its snapshots stay until their retention ends.
     *
     * @throws IllegalArgumentException when the name is one of the app's config vars (Heroku's, not ours to remove)
     * @return false when the add-on has no such database
     */
    public boolean detach(UUID addonId, String name) {
        String configVar = configVar(name);
        var existing = addons.databaseEntry(addonId, configVar);
        if (existing.isEmpty()) {
            return false;
        }
        if (!existing.get().attached()) {
            throw new IllegalArgumentException(configVar + " is one of the app's config vars: Autobus backs it up while the app has it."
                    + " Only databases attached by URL can be detached.");
        }
        return addons.detach(addonId, configVar);
    }

    private void refuseBeyondPlan(Addon addon) {
        var coverage = addons.coverage(addon);
        Plan plan = addon.plan();
        if (coverage.covered().size() + coverage.notCovered().size() < plan.databases()) {
            return;
        }
        String bigger = Plan.covering(plan.databases() + 1)
                .map(p -> " The " + p.slug() + " plan covers " + p.databases() + ": " + p.upgradeCommand() + ".")
                .orElse(" Detach one first.");
        throw new IllegalArgumentException("The " + plan.slug() + " plan backs up " + plan.databases()
                + (plan.databases() == 1 ? " database" : " databases") + " and this add-on has "
                + String.join(", ", coverage.covered().stream().map(FoundDatabase::configVar).toList()) + "." + bigger);
    }

    private static String configVar(String name) {
        String upper = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        if (!NAME.matcher(upper).matches()) {
            throw new IllegalArgumentException("A database name is letters, digits and _, starting with a letter (like LOCAL or DATABASE).");
        }
        return upper.endsWith("_URL") ? upper : upper + "_URL";
    }
}
