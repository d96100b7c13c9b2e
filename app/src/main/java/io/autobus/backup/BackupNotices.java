package io.autobus.backup;

import io.autobus.notify.Notifier;

/**
 * What the owner is told about backups: a failure (once per incident), a snapshot that leaves
 * something out, and that it is over. Verification, beside it, is handed on to.
 */
public final class BackupNotices implements BackupRunner.Outcomes {
    private final BackupRunner.Outcomes verification;
    private final Notifier notifier;

    public BackupNotices(BackupRunner.Outcomes verification, Notifier notifier) {
        this.verification = verification;
        this.notifier = notifier;
    }

    @Override
    public InFlight inFlight(Snapshot snapshot, boolean encrypted) {
        return verification.inFlight(snapshot, encrypted);
    }

    @Override
    public void completed(Snapshot snapshot, InFlight verifying) {
        verification.completed(snapshot, verifying);
        if (snapshot.partialReason() != null) {
            notifier.problem(snapshot.addonId(), "backup-partial:" + snapshot.configVar(), "backup.partial",
                    "Snapshots of " + snapshot.configVar() + " leave something out",
                    "Snapshot " + snapshot.id() + " of " + snapshot.configVar() + " was taken, but without what the database's user"
                            + " may not read:\n\n" + snapshot.partialReason() + "\n\nThe tables and their rows are all there. Grant the"
                            + " user the privilege (or recreate those objects with it as their definer) for whole snapshots.");
        } else {
            notifier.resolved(snapshot.addonId(), "backup-partial:" + snapshot.configVar(), "backup.whole",
                    "Snapshots of " + snapshot.configVar() + " are whole again",
                    "Snapshot " + snapshot.id() + " of " + snapshot.configVar() + " holds everything the database has.");
        }
        notifier.resolved(snapshot.addonId(), "backup:" + snapshot.configVar(), "backup.recovered",
                "Backups of " + snapshot.configVar() + " work again",
                "Snapshot " + snapshot.id() + " of " + snapshot.configVar() + " was taken at " + snapshot.finishedAt() + ".");
    }

    /** Nothing to tell the owner again: the snapshot was stored, and they were told then. */
    @Override
    public void completedBefore(Snapshot snapshot) {
        verification.completedBefore(snapshot);
    }

    @Override
    public void failed(Snapshot snapshot, String error) {
        verification.failed(snapshot, error);
        notifier.problem(snapshot.addonId(), "backup:" + snapshot.configVar(), "backup.failed",
                "Backup of " + snapshot.configVar() + " failed",
                "The " + snapshot.kind().label().toLowerCase() + " backup of " + snapshot.configVar() + " (snapshot " + snapshot.id()
                        + ") failed:\n\n" + error + "\n\nYour earlier snapshots are kept. Autobus tries again at the next scheduled run;"
                        + " you can also take one now from the dashboard.");
    }
}
