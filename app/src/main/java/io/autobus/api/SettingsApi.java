package io.autobus.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.backup.BackupSchedule;
import io.autobus.backup.BackupSettings;
import io.autobus.dump.DumpOptions;
import io.javalin.http.Context;
import io.javalin.http.UnprocessableContentResponse;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET/PATCH /api/settings}: the schedule and each database's excluded tables, for the CLI
 * plugin's {@code heroku autobus:settings}. The same rules as the dashboard's Settings tab.
 */
public final class SettingsApi {
    private final ApiAuth auth;
    private final BackupSettings settings;
    private final AddonRepository addons;

    public SettingsApi(ApiAuth auth, BackupSettings settings, AddonRepository addons) {
        this.auth = auth;
        this.settings = settings;
        this.addons = addons;
    }

    /** {@code GET /api/settings} */
    public void show(Context ctx) {
        ctx.json(current(auth.addonOf(ctx)));
    }

    /**
     * {@code PATCH /api/settings} with any of {@code backup_hour}, {@code time_zone},
     * {@code weekly_day}, {@code monthly}, and {@code database} with {@code exclude_tables}.
     */
    public void change(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        JsonNode body = auth.body(ctx);
        BackupSchedule schedule = settings.schedule(addonId);
        try {
            if (body.has("backup_hour") || body.has("time_zone") || body.has("weekly_day") || body.has("monthly")) {
                JsonNode hour = body.path("backup_hour");
                if (!hour.isMissingNode() && !hour.isInt()) {
                    throw new IllegalArgumentException("backup_hour must be a whole number from 0 to 23.");
                }
                JsonNode monthly = body.path("monthly");
                if (!monthly.isMissingNode() && !monthly.isBoolean()) {
                    throw new IllegalArgumentException("monthly must be true or false.");
                }
                settings.changeSchedule(addonId, hour.isInt() ? hour.asInt() : schedule.hour(),
                        body.path("time_zone").asText(schedule.zone().getId()),
                        body.path("weekly_day").asText(schedule.weeklyDay().name()),
                        monthly.isBoolean() ? monthly.asBoolean() : schedule.monthlyEnabled());
            }
            if (body.has("exclude_tables")) {
                String database = body.path("database").asText(null);
                if (database == null) {
                    throw new IllegalArgumentException("database is required with exclude_tables (e.g. DATABASE_URL).");
                }
                DumpOptions options = settings.dumpOptions(addonId, database);
                var excluded = new ArrayList<String>();
                body.path("exclude_tables").forEach(name -> excluded.add(name.asText()));
                settings.changeDumpOptions(addonId, database, new DumpOptions(excluded, options.excludeTableData(), options.schemas(),
                        options.excludeSchemas(), options.noOwner(), options.noAcl(), options.compressionLevel()));
            }
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        }
        ctx.json(current(addonId));
    }

    private Map<String, Object> current(UUID addonId) {
        BackupSchedule schedule = settings.schedule(addonId);
        var json = new LinkedHashMap<String, Object>();
        json.put("backup_hour", schedule.hour());
        json.put("backup_minute", schedule.minute());
        json.put("time_zone", schedule.zone().getId());
        json.put("weekly_day", schedule.weeklyDay().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        json.put("monthly", schedule.monthlyEnabled());
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
