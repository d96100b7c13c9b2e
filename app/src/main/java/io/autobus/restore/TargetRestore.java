package io.autobus.restore;

import io.autobus.backup.BackupTargets.Target;
import io.autobus.backup.Snapshot;
import io.autobus.jobs.Deadline;
import io.autobus.verify.StdinFeeder;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * What is particular to one engine when a snapshot is restored into a customer's database: the
 * tool, run with the target's own login (whatever the dump holds runs with the customer's
 * privileges on the customer's server, never ours), fed the stored stream.
 */
interface TargetRestore {

    /**
     * Restores {@code stored} into the target as {@code restore} says.
     *
     * @param stored      the stored object, read once by the tool
     * @param storedAgain opens it again (the archive's table of contents is read first to choose tables)
     * @param progress    told where the restore is
     * @return where chosen tables went when restored alongside; null otherwise
     * @throws RestoreException with the tool's words when it failed
     */
    String restore(Snapshot snapshot, Restore restore, Target target, InputStream stored, StdinFeeder.Source storedAgain,
                   RestoreProgress progress, Deadline deadline);

    /** The target's open connection, as the dumps connect. */
    Connection connect(Target target);

    /** Exact rows of each of {@code names} (as the snapshot's statistics name them, in the target's place for them). */
    Map<String, Long> counts(Connection connection, Iterable<String> names, String restoredInto) throws SQLException;
}
