package io.autobus.api;

import io.autobus.backup.ProgressEstimate;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotChanges;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** A snapshot as the API shows it, in the seed's shape ({@code id}, {@code kind}, {@code created_at}, ...). */
final class SnapshotJson {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SnapshotJson() {
    }

    /** @param now for a running snapshot's time still to go */
    static Map<String, Object> of(Snapshot snapshot, Instant now) {
        var json = new LinkedHashMap<String, Object>();
        json.put("id", snapshot.id());
        json.put("kind", snapshot.kind().label());
        json.put("created_at", time(snapshot.createdAt()));
        json.put("status", snapshot.state());
        json.put("database", snapshot.configVar());
        json.put("description", snapshot.description());
        json.put("size", snapshot.sizeBytes());
        json.put("verification", verification(snapshot));
        json.put("engine", snapshot.engineShown());
        json.put("server_version", snapshot.serverVersion());
        json.put("dump_tool", snapshot.dumpTool());
        json.put("dump_tool_note", snapshot.dumpToolNote());
        json.put("archive_version", snapshot.archiveVersion());
        json.put("restore_with", snapshot.restoreWith());
        json.put("file_name", snapshot.state().equals("completed") ? snapshot.fileName() : null);
        json.put("encrypted_to", snapshot.encryptedTo());
        json.put("restore_command", snapshot.state().equals("completed") ? io.autobus.backup.RestoreCommands.yourself(snapshot, null, null) : null);
        json.put("sha256", snapshot.sha256());
        json.put("stored_checksum", snapshot.storedChecksum() == null ? null
                : Map.of("algorithm", snapshot.storedChecksum().algorithm(), "value", snapshot.storedChecksum().value()));
        json.put("finished_at", time(snapshot.finishedAt()));
        json.put("duration_ms", snapshot.durationMs());
        json.put("error", snapshot.error());
        json.put("partial", snapshot.partialReason());
        json.put("progress", progress(ProgressEstimate.of(snapshot, now)));
        json.put("release", release(snapshot));
        return json;
    }

    /** The app's release current when the dump started: {@code version}, {@code commit}, {@code description}, {@code created_at}; null when unknown. */
    private static Map<String, Object> release(Snapshot snapshot) {
        if (snapshot.release() == null) {
            return null;
        }
        var json = new LinkedHashMap<String, Object>();
        json.put("version", snapshot.release().version());
        json.put("commit", snapshot.release().commit());
        json.put("description", snapshot.release().description());
        json.put("created_at", time(snapshot.release().createdAt()));
        return json;
    }

    /** Null unless the snapshot is running: {@code bytes}, {@code percent}, {@code eta_seconds}, {@code table}. */
    static Map<String, Object> progress(ProgressEstimate estimate) {
        if (estimate == null) {
            return null;
        }
        var json = new LinkedHashMap<String, Object>();
        json.put("bytes", estimate.bytes());
        json.put("percent", estimate.percent());
        json.put("eta_seconds", estimate.etaSeconds());
        json.put("table", estimate.table());
        return json;
    }

    /** With the statistics taken at dump time and the change since the previous snapshot. */
    static Map<String, Object> withStatistics(Snapshot snapshot, SnapshotChanges changes, Instant now) {
        var json = of(snapshot, now);
        var statistics = new LinkedHashMap<String, Object>();
        statistics.put("database_size", snapshot.databaseSizeBytes());
        statistics.put("database_size_change", changes.databaseSizeDelta());
        statistics.put("tables_added", changes.tablesAdded());
        statistics.put("tables_dropped", changes.tablesDropped());
        statistics.put("tables", changes.tables().stream().map(table -> {
            var row = new LinkedHashMap<String, Object>();
            row.put("name", table.name());
            row.put("rows", table.rows());
            row.put("rows_exact", table.rowsExact());
            row.put("rows_change", table.rowsDelta());
            row.put("size", table.sizeBytes());
            row.put("size_change", table.sizeDelta());
            row.put("left_out", table.leftOut());
            return row;
        }).toList());
        json.put("statistics", statistics);
        return json;
    }

    /** Null until a verification starts; then its status ("running", "verified", "failed", "unverifiable") and what it found. */
    private static Map<String, Object> verification(Snapshot snapshot) {
        if (snapshot.verification() == null) {
            return null;
        }
        var json = new LinkedHashMap<String, Object>();
        json.put("status", snapshot.verification());
        json.put("detail", snapshot.verificationDetail());
        json.put("server_version", snapshot.verificationServerVersion());
        json.put("verified_at", time(snapshot.verifiedAt()));
        json.put("duration_ms", snapshot.verificationMs());
        return json;
    }

    private static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }
}
