package io.autobus.verify;

import io.autobus.backup.Snapshot;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.ToolRun;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What is particular to restoring one engine's snapshots into a scratch database, beside that
 * engine's {@code Dumper}: readying the database, the restore tool, how the stored stream
 * reaches it, what its failures mean, and how the restored tables are counted.
 * {@link SnapshotVerifier} is the one place that connects stream → checksum → restore tool.
 */
interface Restorer {

    /**
     * Readies the scratch database and the restore, connected as the database's own login; or
     * says why the snapshot cannot be tried at all (no client reads its archive, an extension
     * verification does not create).
     *
     * @param stored opens the stored object again (an archive's table of contents is read first)
     */
    Restore prepare(Snapshot snapshot, Supplier<InputStream> stored, ScratchServer server, DatabaseUrl database, ToolRun run)
            throws SQLException;

    /** Exact row counts of the restored tables, under the names the dump-time statistics use. */
    Map<String, Long> counts(Connection connection) throws SQLException;

    /** A restore ready to run, or the verdict to give instead. */
    record Restore(ProcessBuilder command, Input input, FailureReading failure, Verdict instead) {
        static Restore instead(Verdict verdict) {
            return new Restore(null, null, null, verdict);
        }
    }

    /** The stored bytes as the tool reads them (unpacked, rewritten...). */
    interface Input {
        InputStream of(InputStream stored) throws IOException;
    }

    /** What the tool's failure means: a verdict, or null when it is harmless. */
    interface FailureReading {
        Verdict verdict(String failure);
    }
}
