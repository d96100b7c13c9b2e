package io.autobus.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.autobus.backup.ProgressEstimate;
import io.autobus.backup.SnapshotRepository;
import io.autobus.http.JsonBodies;
import io.autobus.restore.Restore;
import io.autobus.restore.RestoreRepository;
import io.autobus.restore.RestoreRequests;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Restores the service runs: {@code POST /api/snapshots/{id}/restores}, {@code GET /api/restores/{id}}, {@code GET /api/snapshots/{id}/tables}. */
public final class RestoresApi {
    private final ApiAuth auth;
    private final RestoreRequests requests;
    private final RestoreRepository restores;
    private final SnapshotRepository snapshots;
    private final Clock clock;

    public RestoresApi(ApiAuth auth, RestoreRequests requests, RestoreRepository restores, SnapshotRepository snapshots, Clock clock) {
        this.auth = auth;
        this.requests = requests;
        this.restores = restores;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** The body of {@code POST /api/snapshots/{id}/restores}; every field may be left out (or sent as null). */
    @JsonIgnoreProperties("token")
    @JsonBodies.NullsAllowed
    record RestoreBody(@JsonProperty("target") String target,
                       @JsonProperty("tables") @JsonPropertyDescription("table names, like [\"public.orders\"]") List<String> tables,
                       @JsonProperty("mode") String mode, @JsonProperty("confirm") String confirm,
                       @JsonProperty("snapshot_first") Boolean snapshotFirst) {
        RestoreRequests.Request request() {
            return new RestoreRequests.Request(target, tables == null ? List.of() : tables, mode, confirm, snapshotFirst);
        }
    }

    /** {@code POST /api/snapshots/{id}/restores} with {@code target, tables, mode, confirm, snapshot_first}. */
    public void create(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        var body = auth.body(ctx, RestoreBody.class);
        Restore restore;
        try {
            restore = requests.request(addonId, ctx.pathParam("id"), body.request());
        } catch (RestoreRequests.Refused e) {
            throw new HttpResponseException(e.status(), e.getMessage());
        }
        var answer = new LinkedHashMap<String, Object>();
        answer.put("restore_id", restore.id());
        answer.put("message", "Restore of snapshot " + restore.snapshotId() + " into " + restore.target() + " is queued; follow it at"
                + " GET /api/restores/" + restore.id());
        ctx.status(202).json(answer);
    }

    /** {@code GET /api/restores/{restore_id}} */
    public void show(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        String id = ctx.pathParam("restore_id");
        Restore restore = restores.find(id).filter(r -> r.addonId().equals(addonId))
                .orElseThrow(() -> new NotFoundResponse("No restore " + id + "."));
        ctx.json(json(restore, clock));
    }

    /** {@code GET /api/snapshots/{id}/tables}: the snapshot's tables with their exact rows and sizes at dump time. */
    public void tables(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        String id = ctx.pathParam("id");
        snapshots.find(id).filter(s -> s.addonId().equals(addonId)).orElseThrow(() -> new NotFoundResponse("No snapshot " + id + "."));
        var tables = new ArrayList<Map<String, Object>>();
        for (var table : snapshots.tables(id)) {
            var json = new LinkedHashMap<String, Object>();
            json.put("name", table.name());
            json.put("rows", table.rows());
            json.put("rows_exact", table.rowsExact());
            json.put("size", table.sizeBytes());
            tables.add(json);
        }
        ctx.json(tables);
    }

    static Map<String, Object> json(Restore restore, Clock clock) {
        var json = new LinkedHashMap<String, Object>();
        json.put("restore_id", restore.id());
        json.put("snapshot_id", restore.snapshotId());
        json.put("target", restore.target());
        json.put("mode", restore.mode().dbValue());
        json.put("status", restore.status().dbValue());
        json.put("progress", restore.progress() == null || restore.startedAt() == null ? null
                : SnapshotJson.progress(ProgressEstimate.of(restore.progress(), restore.startedAt(), clock.instant())));
        var tables = new ArrayList<Map<String, Object>>();
        for (var table : restore.result()) {
            var row = new LinkedHashMap<String, Object>();
            row.put("name", table.name());
            row.put("rows", table.rows());
            row.put("expected_rows", table.expectedRows());
            tables.add(row);
        }
        json.put("tables", tables);
        json.put("requested_tables", restore.tables());
        json.put("error", restore.error());
        json.put("safety_snapshot_id", restore.safetySnapshotId());
        json.put("restored_into", restore.restoredInto());
        json.put("created_at", restore.createdAt());
        json.put("started_at", restore.startedAt());
        json.put("finished_at", restore.finishedAt());
        return json;
    }
}
