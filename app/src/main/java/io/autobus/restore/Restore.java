package io.autobus.restore;

import io.autobus.dump.DumpProgress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A restore the service runs, as recorded.
 *
 * @param tables       the chosen tables as the snapshot's statistics name them; empty for a whole restore
 * @param progress     while running; null otherwise
 * @param restoredInto where chosen tables went when restored alongside; null otherwise
 * @param result       each restored table's rows beside the snapshot's dump-time count; empty until finished
 */
public record Restore(String id, UUID addonId, String snapshotId, String target, RestoreMode mode, List<String> tables,
                      boolean snapshotFirst, RestoreStatus status, UUID jobId, Instant createdAt, Instant startedAt,
                      Instant finishedAt, DumpProgress.View progress, String safetySnapshotId, String restoredInto,
                      List<TableResult> result, String error) {

    /** Where PostgreSQL tables restored alongside go: the schema {@code restored_<snapshot id>}. */
    public static String alongsideSchema(String snapshotId) {
        return "restored_" + snapshotId;
    }

    /** What MySQL tables restored alongside are named after: {@code orders} becomes {@code orders_restored_<8 characters of the snapshot id>}. */
    public static String alongsideSuffix(String snapshotId) {
        return "_restored_" + snapshotId.substring(0, 8);
    }

    /** A restored table: its rows in the target after the restore, and the snapshot's count at dump time (null if none). */
    public record TableResult(String name, long rows, Long expectedRows) {
    }
}
