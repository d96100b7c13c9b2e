package io.autobus.support;

import io.autobus.addon.AddonRepository;
import io.autobus.addon.Plan;
import io.autobus.config.Settings;
import io.autobus.db.MetadataDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A metadata store of its own (fresh database, migrated), for tests that sweep across all
 * add-ons (retention, schedules) and must not meet other tests' data.
 */
public final class IsolatedMetadata implements AutoCloseable {
    public final MetadataDatabase database;
    public final AddonRepository addons;

    public IsolatedMetadata() {
        try {
            var settings = Settings.fromEnvironment(Map.of(
                    "DATABASE_URL", TestDatabase.create("autobus_isolated"),
                    "AUTOBUS_HOME", Files.createTempDirectory("autobus-isolated").toString()));
            this.database = MetadataDatabase.open(settings);
            this.addons = new AddonRepository(database.dsl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An add-on row as provisioning leaves it. */
    public UUID addon(Plan plan, Instant now) {
        UUID id = UUID.randomUUID();
        addons.insertIfAbsent(new AddonRepository.NewAddon(id, "autobus-test", plan, "us", null,
                UUID.randomUUID().toString(), new byte[] {1}, null, now));
        return id;
    }

    @Override
    public void close() {
        database.close();
    }
}
