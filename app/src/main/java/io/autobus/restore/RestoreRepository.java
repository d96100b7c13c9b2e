package io.autobus.restore;

import static io.autobus.db.generated.Tables.RESTORE;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.db.generated.tables.records.RestoreRecord;
import io.autobus.dump.DumpProgress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;

/** The restore rows: created pending, then running with progress, then completed or failed with their result. */
public final class RestoreRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_CHARS = 4000;

    private final DSLContext dsl;

    public RestoreRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record NewRestore(String id, UUID addonId, String snapshotId, String target, RestoreMode mode, List<String> tables,
                             boolean snapshotFirst, UUID jobId, Instant now) {
    }

    /** Inserts a pending restore; false when the target already has one pending or running (the partial unique index). */
    public boolean create(NewRestore restore) {
        try {
            dsl.insertInto(RESTORE)
                    .set(RESTORE.ID, restore.id())
                    .set(RESTORE.ADDON_ID, restore.addonId())
                    .set(RESTORE.SNAPSHOT_ID, restore.snapshotId())
                    .set(RESTORE.TARGET, restore.target())
                    .set(RESTORE.MODE, restore.mode().dbValue())
                    .set(RESTORE.TABLES, restore.tables().isEmpty() ? null : json(restore.tables()))
                    .set(RESTORE.SNAPSHOT_FIRST, restore.snapshotFirst())
                    .set(RESTORE.STATUS, RestoreStatus.PENDING.dbValue())
                    .set(RESTORE.JOB_ID, restore.jobId())
                    .set(RESTORE.CREATED_AT, at(restore.now()))
                    .execute();
            return true;
        } catch (IntegrityConstraintViolationException e) {
            return false;
        }
    }

    public Optional<Restore> find(String id) {
        return dsl.selectFrom(RESTORE).where(RESTORE.ID.eq(id)).fetchOptional().map(RestoreRepository::toRestore);
    }

    /** The target's restore pending or running, if any. */
    public Optional<Restore> inProgress(UUID addonId, String target) {
        return dsl.selectFrom(RESTORE).where(RESTORE.ADDON_ID.eq(addonId), RESTORE.TARGET.eq(target),
                        RESTORE.STATUS.in(RestoreStatus.PENDING.dbValue(), RestoreStatus.RUNNING.dbValue()))
                .fetchOptional().map(RestoreRepository::toRestore);
    }

    /** The add-on's restores, newest first. */
    public List<Restore> ofAddon(UUID addonId, int limit) {
        return dsl.selectFrom(RESTORE).where(RESTORE.ADDON_ID.eq(addonId)).orderBy(RESTORE.CREATED_AT.desc(), RESTORE.ID)
                .limit(limit).fetch(RestoreRepository::toRestore);
    }

    public void markRunning(String id, Instant now) {
        dsl.update(RESTORE).set(RESTORE.STATUS, RestoreStatus.RUNNING.dbValue()).set(RESTORE.STARTED_AT, at(now))
                .where(RESTORE.ID.eq(id), RESTORE.STATUS.in(RestoreStatus.PENDING.dbValue(), RestoreStatus.RUNNING.dbValue()))
                .execute();
    }

    public void recordSafetySnapshot(String id, String snapshotId) {
        dsl.update(RESTORE).set(RESTORE.SAFETY_SNAPSHOT_ID, snapshotId).where(RESTORE.ID.eq(id)).execute();
    }

    public void recordProgress(String id, DumpProgress.View progress) {
        dsl.update(RESTORE)
                .set(RESTORE.PROGRESS_BYTES, progress.bytes())
                .set(RESTORE.PROGRESS_EXPECTED_BYTES, progress.expectedBytes())
                .set(RESTORE.PROGRESS_TABLE, progress.table())
                .where(RESTORE.ID.eq(id), RESTORE.STATUS.eq(RestoreStatus.RUNNING.dbValue()))
                .execute();
    }

    /** Finished: its result, and the error when it failed (null when it completed). */
    public void finish(String id, List<Restore.TableResult> result, String restoredInto, String error, Instant now) {
        dsl.update(RESTORE)
                .set(RESTORE.STATUS, (error == null ? RestoreStatus.COMPLETED : RestoreStatus.FAILED).dbValue())
                .set(RESTORE.RESULT, json(result))
                .set(RESTORE.RESTORED_INTO, restoredInto)
                .set(RESTORE.ERROR, error == null || error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS) + "…")
                .set(RESTORE.FINISHED_AT, at(now))
                .setNull(RESTORE.PROGRESS_BYTES)
                .setNull(RESTORE.PROGRESS_EXPECTED_BYTES)
                .setNull(RESTORE.PROGRESS_TABLE)
                .where(RESTORE.ID.eq(id))
                .execute();
    }

    private static Restore toRestore(RestoreRecord r) {
        return new Restore(r.getId(), r.getAddonId(), r.getSnapshotId(), r.getTarget(), RestoreMode.of(r.getMode()),
                r.getTables() == null ? List.of() : read(r.getTables(), new TypeReference<List<String>>() { }),
                r.getSnapshotFirst(), RestoreStatus.of(r.getStatus()), r.getJobId(), instant(r.getCreatedAt()),
                instant(r.getStartedAt()), instant(r.getFinishedAt()),
                r.getProgressBytes() == null ? null : new DumpProgress.View(r.getProgressBytes(), r.getProgressExpectedBytes(), r.getProgressTable()),
                r.getSafetySnapshotId(), r.getRestoredInto(),
                r.getResult() == null ? List.of() : read(r.getResult(), new TypeReference<List<Restore.TableResult>>() { }),
                r.getError());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a restore row holds JSON it cannot read: " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
