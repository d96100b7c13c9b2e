package io.autobus.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.backup.BackupSchedule;
import io.autobus.backup.BackupSettings;
import io.autobus.backup.CustomerKeys;
import io.autobus.backup.ScheduleChange;
import io.autobus.http.JsonBodies;
import io.autobus.storage.ContentDisposition;
import io.javalin.http.Context;
import io.javalin.http.UnprocessableContentResponse;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET/PATCH /api/settings}: the schedule and each database's excluded tables, for the CLI
 * plugin's {@code heroku autobus:settings}; {@code /api/settings/encryption}: the customer's own
 * key. The same rules as the dashboard's Settings tab.
 */
public final class SettingsApi {
    private final ApiAuth auth;
    private final BackupSettings settings;
    private final AddonRepository addons;
    private final CustomerKeys keys;

    public SettingsApi(ApiAuth auth, BackupSettings settings, AddonRepository addons, CustomerKeys keys) {
        this.auth = auth;
        this.settings = settings;
        this.addons = addons;
        this.keys = keys;
    }

    /**
     * The body of {@code PATCH /api/settings}: an absent field stays as it is. ({@code token} may
     * carry the credential, see {@link ApiAuth}.)
     */
    @JsonIgnoreProperties("token")
    record SettingsPatch(@JsonProperty("backup_hour") Integer backupHour, @JsonProperty("time_zone") String timeZone,
                         @JsonProperty("weekly_day") String weeklyDay, @JsonProperty("monthly") Boolean monthly,
                         @JsonProperty("database") String database, @JsonProperty("exclude_tables") List<String> excludeTables,
                         @JsonProperty("snapshot_after_release") Boolean snapshotAfterRelease) {
    }

    /** {@code GET /api/settings} */
    public void show(Context ctx) {
        ctx.json(current(auth.addonOf(ctx)));
    }

    /** {@code PATCH /api/settings}: all of the change in one transaction, or nothing. */
    public void change(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        SettingsPatch patch = auth.body(ctx, SettingsPatch.class);
        if (patch.excludeTables() != null && patch.database() == null) {
            throw new UnprocessableContentResponse("database is required with exclude_tables (e.g. DATABASE_URL).");
        }
        try {
            settings.change(addonId, new ScheduleChange(patch.backupHour(), patch.timeZone(), patch.weeklyDay(), patch.monthly()),
                    patch.database(), patch.excludeTables());
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        }
        if (patch.snapshotAfterRelease() != null) {
            settings.setSnapshotAfterRelease(addonId, patch.snapshotAfterRelease());
        }
        ctx.json(current(addonId));
    }

    /**
     * The body of {@code PUT /api/settings/encryption}: {@code recipient} must be sent, as an age public
     * key or as null to stop encrypting; {@code phrase} from a sample may come along to prove the private
     * key is at hand.
     */
    @JsonIgnoreProperties("token")
    @JsonBodies.NullsAllowed
    record EncryptionChange(
            @JsonProperty(value = "recipient", required = true)
            @JsonPropertyDescription("your age public key (age1...), or null to stop encrypting") String recipient,
            @JsonProperty("phrase") String phrase) {
    }

    /** {@code PUT /api/settings/encryption}: later snapshots are encrypted to the key sent, or no longer encrypted. */
    public void encrypt(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        var change = auth.body(ctx, EncryptionChange.class);
        if (change.recipient() == null) {
            keys.stop(addonId);
        } else {
            try {
                keys.use(addonId, change.recipient(), change.phrase());
            } catch (IllegalArgumentException e) {
                throw new UnprocessableContentResponse(e.getMessage());
            }
        }
        ctx.json(current(addonId));
    }

    /** {@code DELETE /api/settings/encryption}: later snapshots are stored unencrypted; earlier ones stay encrypted. */
    public void stopEncrypting(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        keys.stop(addonId);
        ctx.json(current(addonId));
    }

    /** {@code GET /api/settings/encryption/sample?recipient=age1...}: a test file only that key's private half opens. */
    public void sample(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        byte[] sample;
        try {
            sample = keys.sample(addonId, ctx.queryParam("recipient"));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        }
        ctx.contentType("application/octet-stream")
                .header("Content-Disposition", ContentDisposition.attachment(CustomerKeys.SAMPLE_FILE))
                .result(sample);
    }

    private Map<String, Object> current(UUID addonId) {
        BackupSchedule schedule = settings.schedule(addonId);
        var json = new LinkedHashMap<String, Object>();
        json.put("backup_hour", schedule.hour());
        json.put("backup_minute", schedule.minute());
        json.put("time_zone", schedule.zone().getId());
        json.put("weekly_day", schedule.weeklyDay().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        json.put("monthly", schedule.monthlyEnabled());
        json.put("snapshot_after_release", settings.snapshotAfterRelease(addonId));
        json.put("encryption_recipient", keys.recipient(addonId).orElse(null));
        var databases = new ArrayList<Map<String, Object>>();
        for (FoundDatabase database : addons.databases(addonId)) {
            var options = settings.dumpOptions(addonId, database.configVar());
            var entry = new LinkedHashMap<String, Object>();
            entry.put("database", database.configVar());
            entry.put("engine", database.engine());
            entry.put("exclude_tables", options.excludeTables());
            entry.put("exclude_table_data", options.excludeTableData());
            databases.add(entry);
        }
        json.put("databases", databases);
        return json;
    }
}
