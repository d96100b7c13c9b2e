package io.autobus.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.autobus.backup.ManualSnapshots;
import io.autobus.backup.ProgressEstimate;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotChanges;
import io.autobus.backup.SnapshotDeleter;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.http.JsonBodies;
import io.autobus.storage.SnapshotStores;
import io.javalin.http.ConflictResponse;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnprocessableContentResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The seed's REST API: {@code /api/snapshots} and its five companions. */
public final class SnapshotsApi {
    private static final int MAX_DESCRIPTION = 500;

    private final ApiAuth auth;
    private final SnapshotRepository snapshots;
    private final ManualSnapshots manualSnapshots;
    private final SnapshotDeleter deleter;
    private final SnapshotStores stores;
    private final Clock clock;
    private final RenderedLists lists = new RenderedLists();

    public SnapshotsApi(ApiAuth auth, SnapshotRepository snapshots, ManualSnapshots manualSnapshots, SnapshotDeleter deleter,
                        SnapshotStores stores, Clock clock) {
        this.auth = auth;
        this.snapshots = snapshots;
        this.manualSnapshots = manualSnapshots;
        this.deleter = deleter;
        this.stores = stores;
        this.clock = clock;
    }

    /** {@code GET /api/snapshots[?database=&kind=&status=&limit=&offset=]} */
    public void list(Context ctx) {
        var holder = auth.holderOf(ctx);
        String database = blankToNull(ctx.queryParam("database"));
        SnapshotKind kind = parse(ctx.queryParam("kind"), "kind", SnapshotKind.class);
        SnapshotStatus status = parse(ctx.queryParam("status"), "status", SnapshotStatus.class);
        int limit = number(ctx.queryParam("limit"), "limit", 100, 1, 500);
        int offset = number(ctx.queryParam("offset"), "offset", 0, 0, Integer.MAX_VALUE);
        Integer release = ctx.queryParam("release") == null ? null : number(release(ctx.queryParam("release")), "release", 0, 0, Integer.MAX_VALUE);
        Integer beforeRelease = ctx.queryParam("before_release") == null ? null
                : number(release(ctx.queryParam("before_release")), "before_release", 0, 0, Integer.MAX_VALUE);
        String query = database + "|" + kind + "|" + status + "|" + release + "|" + beforeRelease + "|" + limit + "|" + offset;
        byte[] json = lists.get(holder.addonId(), holder.snapshotsVersion(), query, () -> {
            var page = snapshots.page(holder.addonId(), database, kind, status, release, beforeRelease, limit, offset);
            Instant now = clock.instant();
            return ctx.jsonMapper().toJsonString(page.stream().map(snapshot -> SnapshotJson.of(snapshot, now)).toList(), List.class)
                    .getBytes(StandardCharsets.UTF_8);
        });
        ctx.contentType(ContentType.APPLICATION_JSON).result(json);
    }

    /** {@code GET /api/snapshots/latest}: a JSON string, the newest completed snapshot's 30-minute download URL. */
    public void latest(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        Snapshot latest = snapshots.latestCompleted(addonId).orElseThrow(() -> new NotFoundResponse("There is no completed snapshot yet."));
        String url = stores.byRegion(latest.storageRegion()).downloadUrl(latest.storageKey(), latest.fileName()).toString();
        // A JSON string, as the seed shows it (Javalin would send a bare String unquoted).
        ctx.contentType("application/json").result("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(url)) + "\"");
    }

    /** What {@code POST /api/snapshots} takes (see {@link ApiAuth#parameters}); a blank or null value is left out. */
    @JsonIgnoreProperties("token")
    @JsonBodies.NullsAllowed
    record SnapshotRequest(@JsonProperty("database") String database, @JsonProperty("description") String description) {
        SnapshotRequest {
            database = blankToNull(database);
            description = blankToNull(description);
            if (description != null && description.length() > MAX_DESCRIPTION) {
                throw new UnprocessableContentResponse("description is longer than " + MAX_DESCRIPTION + " characters.");
            }
        }
    }

    /** What {@code GET /api/snapshots/check_snapshot} takes (see {@link ApiAuth#parameters}). */
    @JsonIgnoreProperties("token")
    @JsonBodies.NullsAllowed
    record CheckRequest(@JsonProperty("jid") String jid) {
        CheckRequest {
            jid = blankToNull(jid);
            if (jid == null) {
                throw new UnprocessableContentResponse("jid is required: the one POST /api/snapshots answered with.");
            }
        }
    }

    /** {@code POST /api/snapshots} with optional {@code database} and {@code description}. */
    public void create(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        var request = auth.parameters(ctx, SnapshotRequest.class);
        ManualSnapshots.Requested requested;
        try {
            requested = manualSnapshots.take(addonId, request.database(), request.description());
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        } catch (ManualSnapshots.CapReachedException e) {
            // 409: it succeeds once the customer has deleted a manual snapshot (or upgraded), not by waiting.
            throw new ConflictResponse(e.getMessage());
        }
        var answer = new LinkedHashMap<String, Object>();
        answer.put("message", requested.alreadyAsked() ? requested.message() + "; this is that one" : "Snapshot is in progress, it may take awhile");
        answer.put("jid", requested.jobId().toString());
        answer.put("snapshot_id", requested.snapshotId());
        ctx.status(202).json(answer);
    }

    /** {@code GET /api/snapshots/check_snapshot?jid=...} */
    public void check(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        String jid = auth.parameters(ctx, CheckRequest.class).jid();
        UUID jobId;
        try {
            jobId = UUID.fromString(jid);
        } catch (IllegalArgumentException e) {
            throw new NotFoundResponse("No snapshot job " + jid + ".");
        }
        Snapshot snapshot = snapshots.findByJob(addonId, jobId).orElseThrow(() -> new NotFoundResponse("No snapshot job " + jid + "."));
        var answer = new LinkedHashMap<String, Object>();
        // The seed's "completed" says the job has ended, either way: a client that waits for it stops on a failure too;
        // status says how it ended.
        boolean ended = snapshot.status() == SnapshotStatus.COMPLETED || snapshot.status() == SnapshotStatus.FAILED;
        answer.put("completed", ended);
        answer.put("snapshot_id", snapshot.id());
        answer.put("status", snapshot.state());
        if (snapshot.status() == SnapshotStatus.FAILED) {
            answer.put("error", snapshot.error());
        }
        answer.put("progress", SnapshotJson.progress(ProgressEstimate.of(snapshot, clock.instant())));
        ctx.json(answer);
    }

    /** {@code GET /api/snapshots/{id}} */
    public void show(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        Snapshot snapshot = snapshots.find(ctx.pathParam("id")).filter(s -> s.addonId().equals(addonId))
                .orElseThrow(() -> new NotFoundResponse("No snapshot " + ctx.pathParam("id") + "."));
        var json = SnapshotJson.withStatistics(snapshot, SnapshotChanges.sincePrevious(snapshots, snapshot), clock.instant());
        if (snapshot.status() == SnapshotStatus.COMPLETED) {
            json.put("download_url", stores.byRegion(snapshot.storageRegion()).downloadUrl(snapshot.storageKey(), snapshot.fileName()).toString());
        }
        ctx.json(json);
    }

    /** {@code DELETE /api/snapshots/{id}} */
    public void delete(Context ctx) {
        UUID addonId = auth.addonOf(ctx);
        switch (deleter.delete(addonId, ctx.pathParam("id"))) {
            case DELETED -> ctx.json(Map.of("message", "Snapshot has been deleted"));
            case IN_PROGRESS -> throw new ConflictResponse("This snapshot is still in progress; delete it once it has finished.");
            case NOT_FOUND -> throw new NotFoundResponse("No snapshot " + ctx.pathParam("id") + ".");
        }
    }

    /** A release as people write it: {@code 143} or {@code v143}. */
    private static String release(String value) {
        String text = value.strip();
        return text.startsWith("v") || text.startsWith("V") ? text.substring(1) : text;
    }

    private static <E extends Enum<E>> E parse(String value, String name, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(name + " '" + value + "' is not one of " + List.of(type.getEnumConstants())
                    .stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ".");
        }
    }

    private static int number(String value, String name, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new UnprocessableContentResponse(name + " must be a whole number from " + min + " to " + max + ".");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
