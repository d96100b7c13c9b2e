package io.autobus.backup;

import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.DumpProgress;
import io.autobus.storage.StoredChecksum;
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
 * @param dumpTool     the tool and its version, e.g. {@code pg_dump 15.14}; null for snapshots taken before it was recorded
 * @param dumpToolNote why that tool and not the server's own major's; null when it is
 * @param archiveVersion the custom archive's format version ({@code 1.14}); null for SQL dumps
 * @param restoreWith  which client restores the file, e.g. {@code pg_restore 15 or newer}
 * @param verificationServerVersion the version of the server the last verification restored into
 * @param partialReason what the dump left out and why (objects the app's user may not read); null for a whole snapshot
 * @param progress  how far the running dump was when last recorded (at most a second ago); null unless running
 * @param storedChecksum the stored copy's checksum, computed while uploading and equal to the store's; null before it was recorded
 * @param encryptedTo the customer's age public key the stored file is encrypted to ({@code .age}); null when it is not
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
        String dumpTool,
        String dumpToolNote,
        String archiveVersion,
        String restoreWith,
        String verificationServerVersion,
        String partialReason,
        DumpProgress.View progress,
        io.autobus.heroku.Release release,
        StoredChecksum storedChecksum,
        String encryptedTo) {

    /**
     * The engine as people know it: {@code mariadb} when the server said it is MariaDB (a {@code mysql://} URL does not
     * say), otherwise {@link #engine()}. For showing only; behaviour goes by {@link #engine()}.
     */
    public String engineShown() {
        return !DatabaseUrl.Engine.isPostgres(engine) && serverVersion != null && serverVersion.contains("MariaDB") ? "mariadb" : engine;
    }

    /** {@code PostgreSQL}, {@code MySQL} or {@code MariaDB}, for pages. */
    public String engineLabel() {
        return io.autobus.addon.FoundDatabase.engineLabel(engineShown());
    }

    /** This snapshot with the server's version, as a dump learns it when it starts. */
    public Snapshot withServerVersion(String version) {
        return new Snapshot(id, addonId, configVar, engine, version, kind, status, description, scheduledFor, jobId, createdAt, startedAt,
                finishedAt, durationMs, sizeBytes, sha256, storageRegion, storageKey, databaseSizeBytes, error, dumpOptions, verification,
                verificationDetail, verifiedAt, verificationMs, dumpTool, dumpToolNote, archiveVersion, restoreWith,
                verificationServerVersion, partialReason, progress, release, storedChecksum, encryptedTo);
    }

    /** {@code pending}, {@code running}, {@code completed} or {@code failed}. */
    public String state() {
        return status.dbValue();
    }

    /** The file name downloads carry, as the seed shows them: {@code DATABASE_<id>.dump}, {@code DATABASE_<id>.dump.age} when encrypted. */
    public String fileName() {
        return SnapshotKeys.fileName(configVar, id, engine, encrypted());
    }

    /** Encrypted to the customer's own key: only they can open it (Autobus can neither verify nor restore it). */
    public boolean encrypted() {
        return encryptedTo != null;
    }
}
