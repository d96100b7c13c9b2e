package io.autobus.backup;

import static io.autobus.db.generated.Tables.ADDON;
import static io.autobus.db.generated.Tables.ADDON_DATABASE;
import static io.autobus.db.generated.Tables.APP_RELEASE;
import static io.autobus.db.generated.Tables.SNAPSHOT;
import static io.autobus.db.generated.Tables.SNAPSHOT_TABLE;

import io.autobus.db.generated.tables.records.SnapshotRecord;
import io.autobus.dump.DatabaseStatistics;
import io.autobus.dump.DumpProgress;
import io.autobus.heroku.Release;
import io.autobus.storage.StoredChecksum;
import io.autobus.dump.DatabaseStatistics.TableStatistics;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** Snapshots and their statistics in the metadata store; every state change of a run goes through here. */
public final class SnapshotRepository {
    private static final int MAX_ERROR_CHARS = 4000;
    /** Progress belongs to one run while it runs: cleared when a run starts and when it ends. */
    private static final Map<Field<?>, Object> NO_PROGRESS = noProgress();

    private final DSLContext dsl;

    public SnapshotRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A new pending snapshot. */
    public record NewSnapshot(String id, UUID addonId, String configVar, String engine, SnapshotKind kind,
                              String description, LocalDate scheduledFor, UUID jobId, Instant now) {
    }

    /** Inserts; for a scheduled one that already exists for that day, returns the existing one's id. */
    public String createOrFind(NewSnapshot snapshot) {
        dsl.insertInto(SNAPSHOT)
                .set(SNAPSHOT.ID, snapshot.id())
                .set(SNAPSHOT.ADDON_ID, snapshot.addonId())
                .set(SNAPSHOT.CONFIG_VAR, snapshot.configVar())
                .set(SNAPSHOT.ENGINE, snapshot.engine())
                .set(SNAPSHOT.KIND, snapshot.kind().dbValue())
                .set(SNAPSHOT.STATUS, SnapshotStatus.PENDING.dbValue())
                .set(SNAPSHOT.DESCRIPTION, snapshot.description())
                .set(SNAPSHOT.SCHEDULED_FOR, snapshot.scheduledFor())
                .set(SNAPSHOT.JOB_ID, snapshot.jobId())
                .set(SNAPSHOT.CREATED_AT, at(snapshot.now()))
                .onConflictDoNothing()
                .execute();
        if (snapshot.scheduledFor() == null) {
            return snapshot.id();
        }
        return dsl.select(SNAPSHOT.ID).from(SNAPSHOT)
                .where(SNAPSHOT.ADDON_ID.eq(snapshot.addonId()), SNAPSHOT.CONFIG_VAR.eq(snapshot.configVar()),
                        SNAPSHOT.SCHEDULED_FOR.eq(snapshot.scheduledFor()))
                .fetchSingle(SNAPSHOT.ID);
    }

    /** What {@link #createManual} did. */
    public sealed interface ManualRequest {
        /** The new snapshot was inserted, pending: its job is to be enqueued. */
        record Created(String snapshotId) implements ManualRequest {
        }

        /**
         * Nothing was inserted: this snapshot of the same database answers the request, because it is still pending
         * or running, or because it was asked for with the same description moments ago (a double-clicked button,
         * a retried POST).
         */
        record Existing(Snapshot snapshot) implements ManualRequest {
        }

        /** The add-on holds {@code held} manual snapshots, its plan's most; {@code oldest} are the ones to delete first. */
        record CapReached(int held, List<Snapshot> oldest) implements ManualRequest {
        }
    }

    /**
     * The rules a manual snapshot request is held to.
     *
     * @param runningSince  running snapshots started before this no longer count as in progress (their worker died)
     * @param heldCap       manual snapshots (pending, running or completed) the add-on may hold; empty: no cap
     * @param repeatedSince a request identical to one made since this answers with that one; null: none does
     */
    public record ManualRules(Instant runningSince, java.util.OptionalInt heldCap, Instant repeatedSince) {
    }

    /**
     * Inserts a manual snapshot unless one of the same database is in progress or was just asked for (then returns
     * that one) or the add-on holds its plan's most. Race-safe across requests
     * and processes: one transaction holding the add-on row's lock ({@code FOR NO KEY UPDATE}, the lock the
     * snapshots_version trigger takes anyway), so concurrent requests run one after the other and each sees the rows
     * of those before it. A lock rather than a partial unique index because the per-add-on counts need it anyway,
     * and because a row left "running" by a worker that died must stop counting once it is older than any run can be.
     */
    public ManualRequest createManual(NewSnapshot snapshot, ManualRules rules) {
        return dsl.transactionResult(tx -> {
            var db = tx.dsl();
            db.select(ADDON.ID).from(ADDON).where(ADDON.ID.eq(snapshot.addonId())).forNoKeyUpdate().fetchOptional();
            var manual = SNAPSHOT.ADDON_ID.eq(snapshot.addonId()).and(SNAPSHOT.KIND.eq(SnapshotKind.MANUAL.dbValue()));
            var inProgress = manual.and(SNAPSHOT.STATUS.eq(SnapshotStatus.PENDING.dbValue())
                    .or(SNAPSHOT.STATUS.eq(SnapshotStatus.RUNNING.dbValue()).and(SNAPSHOT.STARTED_AT.ge(at(rules.runningSince())))));
            var sameDatabase = SNAPSHOT.CONFIG_VAR.eq(snapshot.configVar());
            var repeated = rules.repeatedSince() == null ? DSL.falseCondition() : sameDatabase.and(manual)
                    .and(SNAPSHOT.CREATED_AT.ge(at(rules.repeatedSince())))
                    .and(SNAPSHOT.DESCRIPTION.isNotDistinctFrom(snapshot.description()));
            var existing = db.selectFrom(SNAPSHOT).where(inProgress.and(sameDatabase).or(repeated))
                    .orderBy(SNAPSHOT.CREATED_AT, SNAPSHOT.ID).limit(1)
                    .fetchOptional().map(SnapshotRepository::toSnapshot);
            if (existing.isPresent()) {
                return new ManualRequest.Existing(existing.get());
            }
            if (rules.heldCap().isPresent()) {
                var held = manual.and(SNAPSHOT.STATUS.ne(SnapshotStatus.FAILED.dbValue()));
                int heldCount = db.fetchCount(SNAPSHOT, held);
                if (heldCount >= rules.heldCap().getAsInt()) {
                    return new ManualRequest.CapReached(heldCount, db.selectFrom(SNAPSHOT).where(held)
                            .orderBy(SNAPSHOT.CREATED_AT, SNAPSHOT.ID).limit(heldCount - rules.heldCap().getAsInt() + 1)
                            .fetch(SnapshotRepository::toSnapshot));
                }
            }
            db.insertInto(SNAPSHOT)
                    .set(SNAPSHOT.ID, snapshot.id())
                    .set(SNAPSHOT.ADDON_ID, snapshot.addonId())
                    .set(SNAPSHOT.CONFIG_VAR, snapshot.configVar())
                    .set(SNAPSHOT.ENGINE, snapshot.engine())
                    .set(SNAPSHOT.KIND, SnapshotKind.MANUAL.dbValue())
                    .set(SNAPSHOT.STATUS, SnapshotStatus.PENDING.dbValue())
                    .set(SNAPSHOT.DESCRIPTION, snapshot.description())
                    .set(SNAPSHOT.JOB_ID, snapshot.jobId())
                    .set(SNAPSHOT.CREATED_AT, at(snapshot.now()))
                    .execute();
            return new ManualRequest.Created(snapshot.id());
        });
    }

    /** Whether a snapshot of the database whose description starts with {@code prefix} was asked for since {@code since}. */
    public boolean describedSince(UUID addonId, String configVar, String prefix, Instant since) {
        return dsl.fetchExists(SNAPSHOT, SNAPSHOT.ADDON_ID.eq(addonId), SNAPSHOT.CONFIG_VAR.eq(configVar),
                SNAPSHOT.DESCRIPTION.startsWith(prefix), SNAPSHOT.CREATED_AT.ge(at(since)));
    }

    public Optional<Snapshot> find(String id) {
        return dsl.selectFrom(SNAPSHOT).where(SNAPSHOT.ID.eq(id)).fetchOptional().map(SnapshotRepository::toSnapshot);
    }

    public Optional<Snapshot> findByJob(UUID addonId, UUID jobId) {
        return dsl.selectFrom(SNAPSHOT).where(SNAPSHOT.ADDON_ID.eq(addonId), SNAPSHOT.JOB_ID.eq(jobId))
                .fetchOptional().map(SnapshotRepository::toSnapshot);
    }

    /** The add-on's snapshots, newest first. */
    public List<Snapshot> ofAddon(UUID addonId) {
        return dsl.selectFrom(SNAPSHOT).where(SNAPSHOT.ADDON_ID.eq(addonId))
                .orderBy(SNAPSHOT.CREATED_AT.desc(), SNAPSHOT.ID)
                .fetch(SnapshotRepository::toSnapshot);
    }

    /** A page of the add-on's snapshots, newest first; null filters match everything. */
    public List<Snapshot> page(UUID addonId, String configVar, SnapshotKind kind, SnapshotStatus status, int limit, int offset) {
        return page(addonId, configVar, kind, status, null, null, limit, offset);
    }

    /**
     * The same, with the release filters: {@code release} the snapshots tagged with that version, {@code beforeRelease}
     * those taken under an earlier one (the newest first: "the snapshot from before v143").
     */
    public List<Snapshot> page(UUID addonId, String configVar, SnapshotKind kind, SnapshotStatus status, Integer release,
                               Integer beforeRelease, int limit, int offset) {
        var condition = SNAPSHOT.ADDON_ID.eq(addonId);
        if (release != null) {
            condition = condition.and(SNAPSHOT.RELEASE_VERSION.eq(release));
        }
        if (beforeRelease != null) {
            condition = condition.and(SNAPSHOT.RELEASE_VERSION.lt(beforeRelease));
        }
        if (configVar != null) {
            condition = condition.and(SNAPSHOT.CONFIG_VAR.eq(configVar));
        }
        if (kind != null) {
            condition = condition.and(SNAPSHOT.KIND.eq(kind.dbValue()));
        }
        if (status != null) {
            condition = condition.and(SNAPSHOT.STATUS.eq(status.dbValue()));
        }
        return dsl.selectFrom(SNAPSHOT).where(condition)
                .orderBy(SNAPSHOT.CREATED_AT.desc(), SNAPSHOT.ID)
                .limit(limit).offset(offset)
                .fetch(SnapshotRepository::toSnapshot);
    }

    /** One point of a database's history: its size and total rows at the last snapshot of a day. */
    public record HistoryPoint(java.time.LocalDate day, Instant at, Long databaseSizeBytes, long rows) {
    }

    /**
     * The database's last {@code days} days with a completed snapshot, oldest first, one point per day (in
     * {@code zone}): the day's last snapshot. For charts, whose x-axis is days.
     */
    public List<HistoryPoint> history(UUID addonId, String configVar, java.time.ZoneId zone, int days) {
        var rows = DSL.coalesce(DSL.sum(SNAPSHOT_TABLE.ROW_COUNT), java.math.BigDecimal.ZERO);
        var day = DSL.field("({0} AT TIME ZONE {1})::date", java.time.LocalDate.class, SNAPSHOT.CREATED_AT,
                // Inline, not bound: DISTINCT ON and ORDER BY must be the same expression, and two parameters are not.
                DSL.inline(zone.getId()));
        var points = dsl.select(day, SNAPSHOT.CREATED_AT, SNAPSHOT.DATABASE_SIZE_BYTES, rows).distinctOn(day)
                .from(SNAPSHOT).leftJoin(SNAPSHOT_TABLE).on(SNAPSHOT_TABLE.SNAPSHOT_ID.eq(SNAPSHOT.ID))
                .where(SNAPSHOT.ADDON_ID.eq(addonId), SNAPSHOT.CONFIG_VAR.eq(configVar),
                        SNAPSHOT.STATUS.eq(SnapshotStatus.COMPLETED.dbValue()))
                .groupBy(SNAPSHOT.ID, SNAPSHOT.CREATED_AT, SNAPSHOT.DATABASE_SIZE_BYTES)
                .orderBy(day.desc(), SNAPSHOT.CREATED_AT.desc())
                .limit(days)
                .fetch(r -> new HistoryPoint(r.value1(), r.value2().toInstant(), r.value3(), r.value4().longValue()));
        return points.reversed();
    }

    /** The newest completed snapshot of the add-on. */
    public Optional<Snapshot> latestCompleted(UUID addonId) {
        return dsl.selectFrom(SNAPSHOT)
                .where(SNAPSHOT.ADDON_ID.eq(addonId), SNAPSHOT.STATUS.eq(SnapshotStatus.COMPLETED.dbValue()))
                .orderBy(SNAPSHOT.CREATED_AT.desc()).limit(1)
                .fetchOptional().map(SnapshotRepository::toSnapshot);
    }

    /** A run starts (or starts over, after a worker died): no error, and no progress of an earlier run. */
    /**
     * Running from {@code now}, tagged with the app's release current then: the newest that succeeded (none when none is
     * known). A snapshot taken during a release's release phase is thus under the release before it, and
     * {@code before_release} finds it.
     */
    public void markRunning(String id, Instant now) {
        var current = DSL.select(APP_RELEASE.VERSION, APP_RELEASE.GIT_COMMIT, APP_RELEASE.DESCRIPTION, APP_RELEASE.CREATED_AT)
                .from(APP_RELEASE)
                .where(APP_RELEASE.ADDON_ID.eq(SNAPSHOT.ADDON_ID), APP_RELEASE.CREATED_AT.le(at(now)), APP_RELEASE.STATUS.eq("succeeded"))
                .orderBy(APP_RELEASE.VERSION.desc())
                .limit(1);
        dsl.update(SNAPSHOT)
                .set(SNAPSHOT.STATUS, SnapshotStatus.RUNNING.dbValue())
                .set(SNAPSHOT.STARTED_AT, at(now))
                .setNull(SNAPSHOT.ERROR)
                .set(NO_PROGRESS)
                .where(SNAPSHOT.ID.eq(id))
                .execute();
        dsl.update(SNAPSHOT)
                .set(DSL.row(SNAPSHOT.RELEASE_VERSION, SNAPSHOT.RELEASE_COMMIT, SNAPSHOT.RELEASE_DESCRIPTION, SNAPSHOT.RELEASE_CREATED_AT), current)
                .where(SNAPSHOT.ID.eq(id))
                .execute();
    }

    /**
     * How far the running dump is. Only a running snapshot takes it: a write that arrives after
     * the run ended (a slow one) must not give a finished snapshot progress again.
     */
    public void recordProgress(String id, DumpProgress.View progress) {
        dsl.update(SNAPSHOT)
                .set(SNAPSHOT.PROGRESS_BYTES, progress.bytes())
                .set(SNAPSHOT.PROGRESS_EXPECTED_BYTES, progress.expectedBytes())
                .set(SNAPSHOT.PROGRESS_TABLE, progress.table())
                .where(SNAPSHOT.ID.eq(id), SNAPSHOT.STATUS.eq(SnapshotStatus.RUNNING.dbValue()))
                .execute();
    }

    /**
     * What a finished dump produced, and with what ({@link Tooling}; null when unknown).
     *
     * @param partialReason what the dump left out and why; null for a whole snapshot
     * @param storedChecksum the stored copy's checksum, as the store returned it; null when unknown
     * @param encryptedTo the customer's age public key the stored file is encrypted to; null when it is not
     */
    public record Completion(String serverVersion, long sizeBytes, String sha256, String storageRegion, String storageKey,
                             DatabaseStatistics statistics, String dumpOptions, Tooling tooling, String partialReason,
                             StoredChecksum storedChecksum, String encryptedTo) {
        public Completion(String serverVersion, long sizeBytes, String sha256, String storageRegion, String storageKey,
                          DatabaseStatistics statistics, String dumpOptions) {
            this(serverVersion, sizeBytes, sha256, storageRegion, storageKey, statistics, dumpOptions, null, null, null, null);
        }
    }

    /** The tool that wrote a snapshot ({@code pg_dump 15.14}), why it, the archive version, and which client restores it. */
    public record Tooling(String dumpTool, String dumpToolNote, String archiveVersion, String restoreWith) {
    }

    /** False when the snapshot is gone meanwhile (its add-on was deprovisioned). */
    public boolean complete(String id, Completion completion, Instant startedAt, Instant finishedAt) {
        return dsl.transactionResult(tx -> {
            var db = tx.dsl();
            int updated = db.update(SNAPSHOT)
                    .set(SNAPSHOT.STATUS, SnapshotStatus.COMPLETED.dbValue())
                    .set(SNAPSHOT.SERVER_VERSION, completion.serverVersion())
                    .set(SNAPSHOT.FINISHED_AT, at(finishedAt))
                    .set(SNAPSHOT.DURATION_MS, finishedAt.toEpochMilli() - startedAt.toEpochMilli())
                    .set(SNAPSHOT.SIZE_BYTES, completion.sizeBytes())
                    .set(SNAPSHOT.SHA256, completion.sha256())
                    .set(SNAPSHOT.STORAGE_REGION, completion.storageRegion())
                    .set(SNAPSHOT.STORAGE_KEY, completion.storageKey())
                    .set(SNAPSHOT.DUMP_OPTIONS, completion.dumpOptions())
                    .set(SNAPSHOT.PARTIAL_REASON, completion.partialReason())
                    .set(SNAPSHOT.STORED_CHECKSUM_ALGORITHM, completion.storedChecksum() == null ? null : completion.storedChecksum().algorithm())
                    .set(SNAPSHOT.STORED_CHECKSUM, completion.storedChecksum() == null ? null : completion.storedChecksum().value())
                    .set(SNAPSHOT.ENCRYPTED_TO, completion.encryptedTo())
                    .set(SNAPSHOT.DUMP_TOOL, completion.tooling() == null ? null : completion.tooling().dumpTool())
                    .set(SNAPSHOT.DUMP_TOOL_NOTE, completion.tooling() == null ? null : completion.tooling().dumpToolNote())
                    .set(SNAPSHOT.ARCHIVE_VERSION, completion.tooling() == null ? null : completion.tooling().archiveVersion())
                    .set(SNAPSHOT.RESTORE_WITH, completion.tooling() == null ? null : completion.tooling().restoreWith())
                    .set(SNAPSHOT.DATABASE_SIZE_BYTES, completion.statistics() == null ? null : completion.statistics().databaseSizeBytes())
                    .setNull(SNAPSHOT.ERROR)
                    .set(NO_PROGRESS)
                    .where(SNAPSHOT.ID.eq(id))
                    .execute();
            if (updated == 0) {
                return false;
            }
            db.deleteFrom(SNAPSHOT_TABLE).where(SNAPSHOT_TABLE.SNAPSHOT_ID.eq(id)).execute();
            if (completion.statistics() != null) {
                for (TableStatistics table : completion.statistics().tables()) {
                    db.insertInto(SNAPSHOT_TABLE)
                            .set(SNAPSHOT_TABLE.SNAPSHOT_ID, id)
                            .set(SNAPSHOT_TABLE.TABLE_NAME, table.name())
                            .set(SNAPSHOT_TABLE.ROW_COUNT, table.rows())
                            .set(SNAPSHOT_TABLE.ROWS_EXACT, table.rowsExact())
                            .set(SNAPSHOT_TABLE.SIZE_BYTES, table.sizeBytes())
                            .execute();
                }
            }
            return true;
        });
    }

    /**
     * The one way a run is recorded as failed: the message is trimmed, it must hold no secret.
     *
     * @param nothingStored the run stored nothing, so its recorded object is forgotten; otherwise it stays recorded
     *                      for {@link #withLeftoverObjects} (a file stored whose completion could not be recorded)
     */
    public void fail(String id, String error, Instant startedAt, Instant finishedAt, boolean nothingStored) {
        String trimmed = error == null ? "unknown error" : error.strip();
        if (trimmed.length() > MAX_ERROR_CHARS) {
            trimmed = "..." + trimmed.substring(trimmed.length() - MAX_ERROR_CHARS);
        }
        var update = dsl.update(SNAPSHOT)
                .set(SNAPSHOT.STATUS, SnapshotStatus.FAILED.dbValue())
                .set(SNAPSHOT.FINISHED_AT, at(finishedAt))
                .set(SNAPSHOT.DURATION_MS, startedAt == null ? null : finishedAt.toEpochMilli() - startedAt.toEpochMilli())
                .set(SNAPSHOT.ERROR, trimmed)
                .set(NO_PROGRESS);
        if (nothingStored) {
            update = update.setNull(SNAPSHOT.STORAGE_REGION).setNull(SNAPSHOT.STORAGE_KEY);
        }
        update.where(SNAPSHOT.ID.eq(id)).execute();
    }

    /**
     * Where a run's object goes, recorded before anything is stored: whatever becomes of the run (its completion not
     * recorded, its worker killed), a sweep and deprovision find the object by it.
     */
    public void recordStorage(String id, String region, String key) {
        dsl.update(SNAPSHOT).set(SNAPSHOT.STORAGE_REGION, region).set(SNAPSHOT.STORAGE_KEY, key).where(SNAPSHOT.ID.eq(id)).execute();
    }

    /**
     * Snapshots that may have left an object nobody restores: failed ones still recording one, and ones "running" with one
     * since before {@code runningSince} (their worker died before recording how the run ended).
     */
    public List<Snapshot> withLeftoverObjects(Instant runningSince) {
        return dsl.selectFrom(SNAPSHOT)
                .where(SNAPSHOT.STORAGE_KEY.isNotNull(), SNAPSHOT.STATUS.eq(SnapshotStatus.FAILED.dbValue())
                        .or(SNAPSHOT.STATUS.eq(SnapshotStatus.RUNNING.dbValue()).and(SNAPSHOT.STARTED_AT.lt(at(runningSince)))))
                .orderBy(SNAPSHOT.CREATED_AT, SNAPSHOT.ID)
                .fetch(SnapshotRepository::toSnapshot);
    }

    /**
     * Forgets the object of a snapshot found by {@link #withLeftoverObjects}, once it is deleted; false when a run started on
     * the snapshot meanwhile (that run records its own object).
     */
    public boolean forgetLeftoverObject(Snapshot leftover) {
        return dsl.update(SNAPSHOT).setNull(SNAPSHOT.STORAGE_REGION).setNull(SNAPSHOT.STORAGE_KEY)
                .where(SNAPSHOT.ID.eq(leftover.id()), SNAPSHOT.STATUS.eq(leftover.status().dbValue()),
                        SNAPSHOT.STARTED_AT.isNotDistinctFrom(leftover.startedAt() == null ? null : at(leftover.startedAt())),
                        SNAPSHOT.STORAGE_KEY.eq(leftover.storageKey()))
                .execute() > 0;
    }

    public void markVerifying(String id) {
        dsl.update(SNAPSHOT).set(SNAPSHOT.VERIFICATION, "running").setNull(SNAPSHOT.VERIFICATION_SERVER_VERSION)
                .where(SNAPSHOT.ID.eq(id)).execute();
    }

    /** The version of the server a running verification restores into ({@code 15.15}). */
    public void recordVerificationServer(String id, String serverVersion) {
        dsl.update(SNAPSHOT).set(SNAPSHOT.VERIFICATION_SERVER_VERSION, serverVersion).where(SNAPSHOT.ID.eq(id)).execute();
    }

    /** Back to "not verified yet", for a verification that could not run and will be retried. */
    public void clearVerification(String id) {
        dsl.update(SNAPSHOT).setNull(SNAPSHOT.VERIFICATION).where(SNAPSHOT.ID.eq(id)).execute();
    }

    /** The verdict, and how long verification took. */
    public void recordVerification(String id, String outcome, String detail, Instant at, long millis) {
        dsl.update(SNAPSHOT)
                .set(SNAPSHOT.VERIFICATION, outcome)
                .set(SNAPSHOT.VERIFICATION_DETAIL, detail == null || detail.length() <= MAX_ERROR_CHARS ? detail
                        : detail.substring(0, MAX_ERROR_CHARS) + "...")
                .set(SNAPSHOT.VERIFIED_AT, at(at))
                .set(SNAPSHOT.VERIFICATION_MS, millis)
                .where(SNAPSHOT.ID.eq(id))
                .execute();
    }

    public List<TableStatistics> tables(String snapshotId) {
        return dsl.selectFrom(SNAPSHOT_TABLE).where(SNAPSHOT_TABLE.SNAPSHOT_ID.eq(snapshotId))
                .orderBy(SNAPSHOT_TABLE.TABLE_NAME)
                .fetch(r -> new TableStatistics(r.getTableName(), r.getRowCount(), r.getRowsExact(), r.getSizeBytes()));
    }

    /** The completed snapshot of the same database taken just before this one. */
    public Optional<Snapshot> previousCompleted(Snapshot snapshot) {
        return dsl.selectFrom(SNAPSHOT)
                .where(SNAPSHOT.ADDON_ID.eq(snapshot.addonId()), SNAPSHOT.CONFIG_VAR.eq(snapshot.configVar()),
                        SNAPSHOT.STATUS.eq(SnapshotStatus.COMPLETED.dbValue()),
                        SNAPSHOT.CREATED_AT.lt(at(snapshot.createdAt())))
                .orderBy(SNAPSHOT.CREATED_AT.desc())
                .limit(1)
                .fetchOptional().map(SnapshotRepository::toSnapshot);
    }

    /**
     * Snapshots past their retention at {@code now}: scheduled ones older than their kind keeps, failed records older
     * than {@code failedKept}. Completed manual snapshots are never among them (the seed keeps them: Unlimited; a plan
     * caps how many may be taken instead), nor the newest completed snapshot of each database the add-on still has.
     */
    public List<Snapshot> expired(Instant now, Duration failedKept) {
        var newestOfAttachedDatabase = newestCompletedOfAttachedDatabase();
        var expired = new ArrayList<Snapshot>();
        for (SnapshotKind kind : SnapshotKind.values()) {
            kind.retention().ifPresent(kept -> expired.addAll(dsl.selectFrom(SNAPSHOT)
                    .where(SNAPSHOT.KIND.eq(kind.dbValue()), SNAPSHOT.STATUS.eq(SnapshotStatus.COMPLETED.dbValue()),
                            SNAPSHOT.CREATED_AT.lt(at(now.minus(kept))),
                            DSL.not(newestOfAttachedDatabase))
                    .orderBy(SNAPSHOT.CREATED_AT, SNAPSHOT.ID)
                    .fetch(SnapshotRepository::toSnapshot)));
        }
        expired.addAll(dsl.selectFrom(SNAPSHOT)
                .where(SNAPSHOT.STATUS.eq(SnapshotStatus.FAILED.dbValue()), SNAPSHOT.CREATED_AT.lt(at(now.minus(failedKept))))
                .orderBy(SNAPSHOT.CREATED_AT, SNAPSHOT.ID)
                .fetch(SnapshotRepository::toSnapshot));
        return expired;
    }

    /** The stored copy was downloaded and restored (not in flight): what the monthly deep check goes by. */
    public void recordRestoredFromStore(String id, Instant at) {
        dsl.update(SNAPSHOT).set(SNAPSHOT.RESTORED_FROM_STORE_AT, at(at)).where(SNAPSHOT.ID.eq(id)).execute();
    }

    /** A database's newest snapshot, due for a deep check, and when its database's stored copies were last restored. */
    public record DeepCheckDue(Snapshot snapshot, Instant lastRestored) {
    }

    /**
     * The newest completed snapshot of each database the add-on still has, when no stored copy of that database was
     * downloaded and restored since {@code notRestoredSince} (and it has been backed up at least that long), the
     * longest unchecked first; none whose verification is running.
     */
    public List<DeepCheckDue> dueForDeepCheck(Instant notRestoredSince, int limit) {
        var other = SNAPSHOT.as("other");
        var sameDatabase = other.ADDON_ID.eq(SNAPSHOT.ADDON_ID).and(other.CONFIG_VAR.eq(SNAPSHOT.CONFIG_VAR));
        var lastRestored = DSL.field(DSL.select(DSL.coalesce(DSL.max(other.RESTORED_FROM_STORE_AT), DSL.min(other.FINISHED_AT)))
                .from(other).where(sameDatabase, other.STATUS.eq(SnapshotStatus.COMPLETED.dbValue())));
        return dsl.select(SNAPSHOT.asterisk(), lastRestored.as("last_restored"))
                .from(SNAPSHOT)
                .where(SNAPSHOT.STATUS.eq(SnapshotStatus.COMPLETED.dbValue()), newestCompletedOfAttachedDatabase(),
                        SNAPSHOT.VERIFICATION.isDistinctFrom("running"), lastRestored.lt(at(notRestoredSince)),
                        SNAPSHOT.ENCRYPTED_TO.isNull()) // its stored copy opens only with the customer's key
                .orderBy(lastRestored, SNAPSHOT.ID)
                .limit(limit)
                .fetch(r -> new DeepCheckDue(toSnapshot(r.into(SNAPSHOT)), instant(r.get("last_restored", OffsetDateTime.class))));
    }

    /** The snapshot is the newest completed one of its database, and the add-on still has that database. */
    private static org.jooq.Condition newestCompletedOfAttachedDatabase() {
        var newest = SNAPSHOT.as("newest");
        var newestPerDatabase = DSL.select(DSL.max(newest.CREATED_AT)).from(newest)
                .where(newest.ADDON_ID.eq(SNAPSHOT.ADDON_ID), newest.CONFIG_VAR.eq(SNAPSHOT.CONFIG_VAR),
                        newest.STATUS.eq(SnapshotStatus.COMPLETED.dbValue()));
        var stillAttached = DSL.exists(DSL.selectOne().from(ADDON_DATABASE)
                .where(ADDON_DATABASE.ADDON_ID.eq(SNAPSHOT.ADDON_ID), ADDON_DATABASE.CONFIG_VAR.eq(SNAPSHOT.CONFIG_VAR)));
        return SNAPSHOT.CREATED_AT.eq(newestPerDatabase).and(stillAttached);
    }

    public void delete(String id) {
        dsl.deleteFrom(SNAPSHOT).where(SNAPSHOT.ID.eq(id)).execute();
    }

    private static Snapshot toSnapshot(SnapshotRecord r) {
        return new Snapshot(r.getId(), r.getAddonId(), r.getConfigVar(), r.getEngine(), r.getServerVersion(),
                SnapshotKind.fromDb(r.getKind()), SnapshotStatus.fromDb(r.getStatus()), r.getDescription(),
                r.getScheduledFor(), r.getJobId(), instant(r.getCreatedAt()), instant(r.getStartedAt()),
                instant(r.getFinishedAt()), r.getDurationMs(), r.getSizeBytes(), r.getSha256(), r.getStorageRegion(),
                r.getStorageKey(), r.getDatabaseSizeBytes(), r.getError(), r.getDumpOptions(), r.getVerification(),
                r.getVerificationDetail(), instant(r.getVerifiedAt()), r.getVerificationMs(), r.getDumpTool(), r.getDumpToolNote(),
                r.getArchiveVersion(), r.getRestoreWith(), r.getVerificationServerVersion(), r.getPartialReason(), progress(r),
                r.getReleaseVersion() == null ? null : new Release(r.getReleaseVersion(), "succeeded", r.getReleaseDescription(),
                        r.getReleaseCommit(), instant(r.getReleaseCreatedAt())),
                r.getStoredChecksum() == null ? null : new StoredChecksum(r.getStoredChecksumAlgorithm(), r.getStoredChecksum()),
                r.getEncryptedTo());
    }

    private static DumpProgress.View progress(SnapshotRecord r) {
        return r.getProgressBytes() == null ? null
                : new DumpProgress.View(r.getProgressBytes(), r.getProgressExpectedBytes(), r.getProgressTable());
    }

    private static Map<Field<?>, Object> noProgress() {
        var none = new HashMap<Field<?>, Object>();
        none.put(SNAPSHOT.PROGRESS_BYTES, null);
        none.put(SNAPSHOT.PROGRESS_EXPECTED_BYTES, null);
        none.put(SNAPSHOT.PROGRESS_TABLE, null);
        return Collections.unmodifiableMap(none);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
