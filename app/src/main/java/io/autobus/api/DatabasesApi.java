package io.autobus.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.addon.PlanCoverage;
import io.autobus.backup.DatabaseAttacher;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnprocessableContentResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/databases}: the add-on's databases and whether its plan covers each; attaching by
 * URL (after a connection test) and detaching. The same rules as the dashboard's Databases box.
 */
public final class DatabasesApi {
    private final ApiAuth auth;
    private final AddonRepository addons;
    private final DatabaseAttacher attacher;

    public DatabasesApi(ApiAuth auth, AddonRepository addons, DatabaseAttacher attacher) {
        this.auth = auth;
        this.addons = addons;
        this.attacher = attacher;
    }

    /** The body of {@code POST /api/databases}. */
    @JsonIgnoreProperties("token")
    record AttachRequest(@JsonProperty("name") String name, @JsonProperty("url") String url, @JsonProperty("replace") Boolean replace) {
    }

    /** {@code GET /api/databases} */
    public void list(Context ctx) {
        Addon addon = addon(ctx);
        var coverage = addons.coverage(addon);
        var attached = addons.attachedNames(addon.id());
        var json = coverage.covered().stream().map(db -> json(db, coverage, attached)).collect(java.util.stream.Collectors.toList());
        coverage.notCovered().forEach(db -> json.add(json(db, coverage, attached)));
        ctx.json(json);
    }

    /** {@code POST /api/databases} with {@code name}, {@code url} and, to point an attached name elsewhere, {@code replace: true}. */
    public void attach(Context ctx) {
        Addon addon = addon(ctx);
        var request = auth.body(ctx, AttachRequest.class);
        if (request.name() == null || request.url() == null) {
            throw new UnprocessableContentResponse("name and url are required, e.g. {\"name\": \"STAGING\", \"url\": \"postgres://...\"}.");
        }
        DatabaseAttacher.Attached attached;
        try {
            attached = attacher.attach(addon.id(), request.name(), request.url(), Boolean.TRUE.equals(request.replace()));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        }
        var json = json(attached.database(), addons.coverage(addon), addons.attachedNames(addon.id()));
        json.put("server", attached.reachable().server());
        json.put("dump_tool", attached.reachable().tool());
        ctx.status(attached.replaced() ? 200 : 201).json(json);
    }

    /** {@code DELETE /api/databases/{name}}: an attached database; its snapshots stay until their retention ends. */
    public void detach(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        String name = ctx.pathParam("name");
        boolean detached;
        try {
            detached = attacher.detach(addonId, name);
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        }
        if (!detached) {
            throw new NotFoundResponse("No database " + name + ".");
        }
        ctx.json(Map.of("message", "Database has been detached; its snapshots are kept until their retention ends"));
    }

    private Addon addon(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        return addons.find(addonId).orElseThrow(() -> new NotFoundResponse("No such add-on."));
    }

    private static Map<String, Object> json(FoundDatabase database, PlanCoverage coverage, java.util.Set<String> attached) {
        var json = new LinkedHashMap<String, Object>();
        json.put("database", database.configVar());
        json.put("engine", database.engine());
        json.put("host", database.host());
        json.put("port", database.port());
        json.put("name", database.databaseName());
        json.put("source", attached.contains(database.configVar()) ? "attached" : "config_var");
        boolean covered = coverage.covers(database.configVar());
        json.put("covered", covered);
        json.put("not_covered_reason", covered ? null : coverage.whyNotCovered(database.configVar()));
        return json;
    }
}
