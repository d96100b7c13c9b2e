package io.autobus.backup;

import io.autobus.dump.DatabaseUrl;
import io.autobus.addon.AddonRepository;
import io.autobus.dump.DumpException;
import io.autobus.dump.DumpOptions;
import io.autobus.dump.ForeignKeys;
import io.autobus.dump.ForeignKeys.ForeignKey;
import io.autobus.dump.MysqlDumper;
import io.autobus.dump.PostgresDumper;
import io.autobus.dump.TablePatterns;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses dump options that leave out the rows of a table other tables' rows point at: every restore of such a
 * snapshot fails on the foreign key (PostgreSQL) or holds rows pointing nowhere (MySQL). Reads the foreign keys
 * over one short connection to the customer's database, reached as a backup reaches it ({@link BackupTargets}).
 * A database that cannot be reached now is not checked: its options are saved, and a verification that fails
 * on them says which option to look at.
 */
public final class ExcludedDataCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ExcludedDataCheck.class);
    /** No read of the catalog waits longer: a settings form must not hang on a customer's database. */
    private static final int TIMEOUT_MS = 10_000;

    private final AddonRepository addons;
    private final BackupTargets targets;

    public ExcludedDataCheck(AddonRepository addons, BackupTargets targets) {
        this.addons = addons;
        this.targets = targets;
    }

    /** @throws IllegalArgumentException naming each foreign key the options would break, and what to do */
    public void check(UUID addonId, String configVar, DumpOptions options) {
        if (options.excludeTables().isEmpty() && options.excludeTableData().isEmpty()) {
            return;
        }
        List<ForeignKey> keys;
        try {
            keys = foreignKeys(addonId, configVar);
        } catch (DumpException | SQLException | IllegalArgumentException e) {
            LOG.info("event=dump_options_unchecked addon={} database={} reason=\"{}\"", addonId, configVar, e.getMessage());
            return;
        }
        var broken = broken(keys, options);
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException(refusal(broken, options));
        }
    }

    /** The foreign keys whose rows or table the options leave out while the rows pointing at them stay. */
    static List<ForeignKey> broken(List<ForeignKey> keys, DumpOptions options) {
        return keys.stream().filter(key -> {
            boolean tableOut = TablePatterns.matchesAny(key.referenced(), options.excludeTables());
            boolean dataOut = tableOut || TablePatterns.matchesAny(key.referenced(), options.excludeTableData());
            if (!dataOut || key.referencing().equals(key.referenced())
                    || TablePatterns.matchesAny(key.referencing(), options.excludeTables())) {
                return false;
            }
            // A table left out takes the key's target with it; rows left out break only keys whose rows stay.
            return tableOut || !TablePatterns.matchesAny(key.referencing(), options.excludeTableData());
        }).toList();
    }

    private static String refusal(List<ForeignKey> broken, DumpOptions options) {
        var referenced = new LinkedHashSet<String>();
        var referencing = new LinkedHashSet<String>();
        broken.forEach(key -> {
            referenced.add(key.referenced());
            referencing.add(key.referencing());
        });
        boolean tablesOut = broken.stream().anyMatch(key -> TablePatterns.matchesAny(key.referenced(), options.excludeTables()));
        return "Leaving out " + (tablesOut ? "" : "the data of ") + String.join(", ", referenced)
                + " would break " + (broken.size() == 1 ? "this foreign key" : "these foreign keys") + ": "
                + broken.stream().map(ForeignKey::toString).collect(Collectors.joining(", "))
                + ". Every restore of such a snapshot would fail on " + (broken.size() == 1 ? "it" : "them")
                + " (or hold rows that point nowhere). Also leave out the data of " + String.join(", ", referencing)
                + " (exclude_table_data" + (tablesOut ? ", or the tables with exclude_tables" : "") + "), or drop the option for "
                + String.join(", ", referenced) + ".";
    }

    private List<ForeignKey> foreignKeys(UUID addonId, String configVar) throws SQLException {
        var addon = addons.find(addonId).orElseThrow(() -> new IllegalArgumentException("No such add-on."));
        var target = targets.resolve(addon, configVar);
        boolean postgres = DatabaseUrl.Engine.isPostgres(target.engine());
        try (Connection connection = postgres ? PostgresDumper.connect(target.url(), target.address())
                : MysqlDumper.connect(target.url(), target.address())) {
            connection.setNetworkTimeout(Runnable::run, TIMEOUT_MS);
            return postgres ? ForeignKeys.postgres(connection) : ForeignKeys.mysql(connection, target.url().database());
        }
    }
}
