package io.autobus.addon;

import static io.autobus.db.generated.Tables.ADDON;
import static io.autobus.db.generated.Tables.ADDON_DATABASE;
import static io.autobus.db.generated.Tables.DEPROVISIONED_ADDON;

import io.autobus.db.generated.tables.records.AddonRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/** Add-ons and the databases found for them, in the metadata store. */
public final class AddonRepository {
    private static final String SOURCE_CONFIG_VAR = "config_var";
    private static final String SOURCE_ATTACHED = "attached";

    private final DSLContext dsl;

    public AddonRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The columns a new add-on starts with. */
    public record NewAddon(UUID id, String name, Plan plan, String region, String callbackUrl,
                           String apiKeyHash, byte[] apiKeySealed, byte[] oauthGrantSealed, Instant now) {
    }

    /** Inserts the add-on unless one with that id exists; true when this call created it. */
    public boolean insertIfAbsent(NewAddon addon) {
        OffsetDateTime now = at(addon.now());
        return dsl.insertInto(ADDON)
                .set(ADDON.ID, addon.id())
                .set(ADDON.NAME, addon.name())
                .set(ADDON.PLAN, addon.plan().slug())
                .set(ADDON.REGION, addon.region())
                .set(ADDON.CALLBACK_URL, addon.callbackUrl())
                .set(ADDON.API_KEY_HASH, addon.apiKeyHash())
                .set(ADDON.API_KEY_SEALED, addon.apiKeySealed())
                .set(ADDON.OAUTH_GRANT_SEALED, addon.oauthGrantSealed())
                .set(ADDON.ACCESS_STATE, AccessState.PENDING.dbValue())
                .set(ADDON.NEXT_ACCESS_CHECK_AT, now)
                .set(ADDON.CREATED_AT, now)
                .set(ADDON.UPDATED_AT, now)
                .onConflict(ADDON.ID).doNothing()
                .execute() == 1;
    }

    public Optional<Addon> find(UUID id) {
        return dsl.selectFrom(ADDON).where(ADDON.ID.eq(id)).fetchOptional().map(AddonRepository::toAddon);
    }

    public Optional<byte[]> sealedApiKey(UUID id) {
        return dsl.select(ADDON.API_KEY_SEALED).from(ADDON).where(ADDON.ID.eq(id)).fetchOptional(ADDON.API_KEY_SEALED);
    }

    public boolean updatePlan(UUID id, Plan plan, Instant now) {
        return dsl.update(ADDON)
                .set(ADDON.PLAN, plan.slug())
                .set(ADDON.UPDATED_AT, at(now))
                .where(ADDON.ID.eq(id))
                .execute() == 1;
    }

    /**
     * Deletes the add-on, its databases and sessions (ON DELETE CASCADE), and remembers that it
     * was removed; true when this call removed it.
     */
    public boolean delete(UUID id, Instant now) {
        return dsl.transactionResult(tx -> {
            boolean deleted = tx.dsl().deleteFrom(ADDON).where(ADDON.ID.eq(id)).execute() == 1;
            if (deleted) {
                tx.dsl().insertInto(DEPROVISIONED_ADDON)
                        .set(DEPROVISIONED_ADDON.ID, id)
                        .set(DEPROVISIONED_ADDON.DEPROVISIONED_AT, at(now))
                        .onConflictDoNothing()
                        .execute();
            }
            return deleted;
        });
    }

    public boolean wasDeprovisioned(UUID id) {
        return dsl.fetchExists(DEPROVISIONED_ADDON, DEPROVISIONED_ADDON.ID.eq(id));
    }

    public void recordApp(UUID id, UUID appId, String appName, Instant now) {
        dsl.update(ADDON)
                .set(ADDON.APP_ID, appId)
                .set(ADDON.APP_NAME, appName)
                .set(ADDON.UPDATED_AT, at(now))
                .where(ADDON.ID.eq(id))
                .execute();
    }

    /** Remembers the app's name from an SSO login when provisioning could not learn it. */
    public void recordAppNameIfUnknown(UUID id, String appName, Instant now) {
        dsl.update(ADDON)
                .set(ADDON.APP_NAME, appName)
                .set(ADDON.UPDATED_AT, at(now))
                .where(ADDON.ID.eq(id).and(ADDON.APP_NAME.isNull()))
                .execute();
    }

    public void recordOwnerEmail(UUID id, String email, Instant now) {
        dsl.update(ADDON)
                .set(ADDON.OWNER_EMAIL, email)
                .set(ADDON.UPDATED_AT, at(now))
                .where(ADDON.ID.eq(id))
                .execute();
    }

    public void recordAccess(UUID id, AccessState state, String message, Instant checkedAt, Instant nextCheckAt) {
        dsl.update(ADDON)
                .set(ADDON.ACCESS_STATE, state.dbValue())
                .set(ADDON.ACCESS_MESSAGE, message)
                .set(ADDON.ACCESS_CHECKED_AT, at(checkedAt))
                .set(ADDON.NEXT_ACCESS_CHECK_AT, at(nextCheckAt))
                .set(ADDON.UPDATED_AT, at(checkedAt))
                .where(ADDON.ID.eq(id))
                .execute();
    }

    /**
     * Replaces what is known of the app's config-var databases with what the last check found;
     * attached databases and each database's dump options stay.
     */
    public void replaceDatabases(UUID id, List<FoundDatabase> databases, Instant now) {
        dsl.transaction(tx -> {
            var db = tx.dsl();
            db.deleteFrom(ADDON_DATABASE)
                    .where(ADDON_DATABASE.ADDON_ID.eq(id), ADDON_DATABASE.SOURCE.eq(SOURCE_CONFIG_VAR),
                            ADDON_DATABASE.CONFIG_VAR.notIn(databases.stream().map(FoundDatabase::configVar).toList()))
                    .execute();
            for (FoundDatabase found : databases) {
                upsert(db, id, found, SOURCE_CONFIG_VAR, null, now);
            }
        });
    }

    /** Attaches a database by its URL (sealed), for running without Heroku; replaces one of the same name (the caller asked). */
    public void attach(UUID id, FoundDatabase database, byte[] urlSealed, Instant now) {
        upsert(dsl, id, database, SOURCE_ATTACHED, urlSealed, now);
    }

    private static void upsert(DSLContext db, UUID id, FoundDatabase found, String source, byte[] urlSealed, Instant now) {
        db.insertInto(ADDON_DATABASE)
                .set(ADDON_DATABASE.ADDON_ID, id)
                .set(ADDON_DATABASE.CONFIG_VAR, found.configVar())
                .set(ADDON_DATABASE.ENGINE, found.engine())
                .set(ADDON_DATABASE.HOST, found.host())
                .set(ADDON_DATABASE.PORT, found.port())
                .set(ADDON_DATABASE.DATABASE_NAME, found.databaseName())
                .set(ADDON_DATABASE.DISCOVERED_AT, at(now))
                .set(ADDON_DATABASE.SOURCE, source)
                .set(ADDON_DATABASE.URL_SEALED, urlSealed)
                .set(ADDON_DATABASE.FIRST_SEEN_AT, at(now))
                .onConflict(ADDON_DATABASE.ADDON_ID, ADDON_DATABASE.CONFIG_VAR).doUpdate()
                .set(ADDON_DATABASE.ENGINE, found.engine())
                .set(ADDON_DATABASE.HOST, found.host())
                .set(ADDON_DATABASE.PORT, found.port())
                .set(ADDON_DATABASE.DATABASE_NAME, found.databaseName())
                .set(ADDON_DATABASE.DISCOVERED_AT, at(now))
                .set(ADDON_DATABASE.SOURCE, source)
                .set(ADDON_DATABASE.URL_SEALED, urlSealed)
                .execute();
    }

    /** How a database is reached and dumped: found in config vars, or attached with its sealed URL. */
    public record DatabaseEntry(FoundDatabase database, boolean attached, byte[] urlSealed, String dumpOptions) {
    }

    public Optional<DatabaseEntry> databaseEntry(UUID id, String configVar) {
        return dsl.selectFrom(ADDON_DATABASE)
                .where(ADDON_DATABASE.ADDON_ID.eq(id), ADDON_DATABASE.CONFIG_VAR.eq(configVar))
                .fetchOptional(r -> new DatabaseEntry(
                        new FoundDatabase(r.getConfigVar(), r.getEngine(), r.getHost(), r.getPort(), r.getDatabaseName()),
                        SOURCE_ATTACHED.equals(r.getSource()), r.getUrlSealed(), r.getDumpOptions()));
    }

    /** Stores the database's dump options (already vetted); false when there is no such database. */
    public boolean setDumpOptions(UUID id, String configVar, String optionsJson) {
        return dsl.update(ADDON_DATABASE)
                .set(ADDON_DATABASE.DUMP_OPTIONS, optionsJson)
                .where(ADDON_DATABASE.ADDON_ID.eq(id), ADDON_DATABASE.CONFIG_VAR.eq(configVar))
                .execute() == 1;
    }

    /** The age public key (age1...) the add-on's snapshots are encrypted to; empty when they are not. */
    public Optional<String> encryptionRecipient(UUID id) {
        return dsl.select(ADDON.ENCRYPTION_RECIPIENT).from(ADDON).where(ADDON.ID.eq(id))
                .fetchOptional(ADDON.ENCRYPTION_RECIPIENT).filter(java.util.Objects::nonNull);
    }

    /** @param recipient an age public key already parsed; null turns encryption off (and forgets any sample) */
    public void setEncryptionRecipient(UUID id, String recipient) {
        dsl.update(ADDON).set(ADDON.ENCRYPTION_RECIPIENT, recipient).setNull(ADDON.ENCRYPTION_SAMPLE_HASH)
                .where(ADDON.ID.eq(id)).execute();
    }

    /** The hash of the last sample's recipient and phrase (see {@code CustomerKeys}); empty when none is out. */
    public Optional<String> encryptionSampleHash(UUID id) {
        return dsl.select(ADDON.ENCRYPTION_SAMPLE_HASH).from(ADDON).where(ADDON.ID.eq(id))
                .fetchOptional(ADDON.ENCRYPTION_SAMPLE_HASH).filter(java.util.Objects::nonNull);
    }

    public void setEncryptionSampleHash(UUID id, String hash) {
        dsl.update(ADDON).set(ADDON.ENCRYPTION_SAMPLE_HASH, hash).where(ADDON.ID.eq(id)).execute();
    }

    /** The add-on's databases: DATABASE_URL first, then in the order they first appeared (the order plans cover them). */
    public List<FoundDatabase> databases(UUID id) {
        return dsl.selectFrom(ADDON_DATABASE)
                .where(ADDON_DATABASE.ADDON_ID.eq(id))
                .orderBy(ADDON_DATABASE.CONFIG_VAR.ne("DATABASE_URL"), ADDON_DATABASE.FIRST_SEEN_AT, ADDON_DATABASE.CONFIG_VAR)
                .fetch(r -> new FoundDatabase(r.getConfigVar(), r.getEngine(), r.getHost(), r.getPort(), r.getDatabaseName()));
    }

    /** The names of the add-on's databases attached by URL (the others come from the app's config vars). */
    public java.util.Set<String> attachedNames(UUID id) {
        return java.util.Set.copyOf(dsl.select(ADDON_DATABASE.CONFIG_VAR).from(ADDON_DATABASE)
                .where(ADDON_DATABASE.ADDON_ID.eq(id), ADDON_DATABASE.SOURCE.eq(SOURCE_ATTACHED))
                .fetch(ADDON_DATABASE.CONFIG_VAR));
    }

    /** Which of the add-on's databases its plan backs up. */
    public PlanCoverage coverage(Addon addon) {
        return PlanCoverage.of(addon.plan(), databases(addon.id()));
    }

    /** Removes an attached database (its snapshots stay, under their retention); false when no such attached database. */
    public boolean detach(UUID id, String configVar) {
        return dsl.deleteFrom(ADDON_DATABASE)
                .where(ADDON_DATABASE.ADDON_ID.eq(id), ADDON_DATABASE.CONFIG_VAR.eq(configVar), ADDON_DATABASE.SOURCE.eq(SOURCE_ATTACHED))
                .execute() == 1;
    }

    /**
     * Records that the owner is being told a database is not covered by the plan; true only for the first call
     * since it last was covered, so the owner is told once.
     */
    public boolean markNotCoveredNotice(UUID id, String configVar, Instant now) {
        return dsl.update(ADDON_DATABASE)
                .set(ADDON_DATABASE.NOT_COVERED_NOTICE_AT, at(now))
                .where(ADDON_DATABASE.ADDON_ID.eq(id), ADDON_DATABASE.CONFIG_VAR.eq(configVar),
                        ADDON_DATABASE.NOT_COVERED_NOTICE_AT.isNull())
                .execute() == 1;
    }

    /** The databases are covered (again): should they fall out of the plan later, the owner is told again. */
    public void clearNotCoveredNotices(UUID id, List<String> configVars) {
        dsl.update(ADDON_DATABASE)
                .setNull(ADDON_DATABASE.NOT_COVERED_NOTICE_AT)
                .where(ADDON_DATABASE.ADDON_ID.eq(id), ADDON_DATABASE.CONFIG_VAR.in(configVars),
                        ADDON_DATABASE.NOT_COVERED_NOTICE_AT.isNotNull())
                .execute();
    }

    /** An add-on due for an access check, and the due time that identifies this round. */
    public record DueCheck(UUID addonId, Instant dueAt) {
    }

    public List<DueCheck> dueForAccessCheck(Instant now, int limit) {
        return dsl.select(ADDON.ID, ADDON.NEXT_ACCESS_CHECK_AT)
                .from(ADDON)
                .where(ADDON.NEXT_ACCESS_CHECK_AT.le(at(now)))
                .orderBy(ADDON.NEXT_ACCESS_CHECK_AT)
                .limit(limit)
                .fetch(r -> new DueCheck(r.value1(), r.value2().toInstant()));
    }

    private static Addon toAddon(AddonRecord r) {
        return new Addon(
                r.getId(),
                r.getName(),
                Plan.named(r.getPlan()).orElseThrow(() -> new IllegalStateException("unknown plan in store: " + r.getPlan())),
                r.getRegion(),
                r.getAppId(),
                r.getAppName(),
                r.getOwnerEmail(),
                AccessState.fromDb(r.getAccessState()),
                r.getAccessMessage(),
                instant(r.getAccessCheckedAt()),
                instant(r.getNextAccessCheckAt()),
                instant(r.getCreatedAt()));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
