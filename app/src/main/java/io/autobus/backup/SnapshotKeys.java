package io.autobus.backup;

import io.autobus.dump.DatabaseUrl;
import io.autobus.addon.FoundDatabase;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/** Snapshot ids, file names and the object-key layout: the one place that knows them. */
public final class SnapshotKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SnapshotKeys() {
    }

    /** 96 random bits as 24 hex digits. */
    public static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String extension(String engine) {
        return DatabaseUrl.Engine.isPostgres(engine) ? "dump" : "sql.gz";
    }

    public static String fileName(String configVar, String snapshotId, String engine) {
        return fileName(configVar, snapshotId, engine, false);
    }

    /** @param encrypted encrypted to the customer's age key: the name gains {@code .age} */
    public static String fileName(String configVar, String snapshotId, String engine, boolean encrypted) {
        return FoundDatabase.labelOf(configVar) + "_" + snapshotId + "." + extension(engine) + (encrypted ? ".age" : "");
    }

    /** {@code <add-on id>/<file name>}: an add-on's objects share a prefix. */
    public static String objectKey(UUID addonId, String configVar, String snapshotId, String engine) {
        return objectKey(addonId, configVar, snapshotId, engine, false);
    }

    public static String objectKey(UUID addonId, String configVar, String snapshotId, String engine, boolean encrypted) {
        return addonId + "/" + fileName(configVar, snapshotId, engine, encrypted);
    }
}
