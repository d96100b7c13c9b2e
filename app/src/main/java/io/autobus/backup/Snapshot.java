package io.autobus.backup;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One backup of one database.
 *
 * @param id        24 random hex digits: unguessable, and shaped like the seed's ids
 * @param configVar the config var (or attached name) of the database, e.g. {@code DATABASE_URL}
 * @param storageKey where the object is, in the store of {@code storageRegion}
 * @param dumpOptions the options (JSON) the dump was taken with
 * @param verification null until verified, then running, verified, failed or unverifiable
 * @param partialReason what the dump left out and why (objects the app's user may not read); null for a whole snapshot
 */
public record Snapshot(
        String id,
        UUID addonId,
        String configVar,
        String engine,
        String serverVersion,
        SnapshotKind kind,
        SnapshotStatus status,
        String description,
        LocalDate scheduledFor,
        UUID jobId,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        Long sizeBytes,
        String sha256,
        String storageRegion,
        String storageKey,
        Long databaseSizeBytes,
        String error,
        String dumpOptions,
        String verification,
        String verificationDetail,
        Instant verifiedAt,
        Long verificationMs,
        String partialReason) {

    /** {@code pending}, {@code running}, {@code completed} or {@code failed}. */
    public String state() {
        return status.dbValue();
    }

    /** The file name downloads carry, as the seed shows them: {@code DATABASE_<id>.dump}. */
    public String fileName() {
        return SnapshotKeys.fileName(configVar, id, engine);
    }
}
