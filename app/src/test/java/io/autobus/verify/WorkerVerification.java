package io.autobus.verify;

import io.autobus.backup.DatabaseLocks;
import io.autobus.config.Settings;
import io.autobus.dump.Tools;
import io.autobus.jobs.WorkerBell;
import io.autobus.notify.Notifier;
import io.autobus.support.BackupHarness;
import org.jobrunr.scheduling.JobRequestScheduler;

/**
 * A worker's verification wired as {@code App} wires it, from these settings; closing stops its embedded servers.
 */
final class WorkerVerification implements AutoCloseable {
    private final ScratchServers servers;
    private final SnapshotVerifier verifier;
    private final Verification verification;
    private final ScratchLeftovers leftovers;

    WorkerVerification(Settings settings, BackupHarness harness, DatabaseLocks locks, Notifier notifier, JobRequestScheduler jobs) {
        var tools = Tools.installed(settings.home().resolve("tmp"));
        this.servers = ScratchServers.from(settings, tools, harness.app.clock);
        this.verifier = new SnapshotVerifier(harness.snapshots, harness.stores, servers, tools, locks, notifier, settings.jobLimits(),
                harness.app.clock);
        this.verification = new Verification(harness.snapshots, verifier, jobs, WorkerBell.NONE, settings.jobLimits(), harness.app.clock);
        this.leftovers = new ScratchLeftovers(servers, tools, locks);
    }

    SnapshotVerifier verifier() {
        return verifier;
    }

    void enqueue(String snapshotId, boolean again) {
        verification.enqueue(snapshotId, again);
    }

    int cleanUpLeftovers() {
        return leftovers.cleanUp();
    }

    /** What the backups report to, as App passes it to {@code BackupRunner}. */
    Verification outcomes() {
        return verification;
    }

    @Override
    public void close() {
        servers.close();
    }
}
