package io.autobus.backup;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class PruneSnapshotsJobHandler implements JobRequestHandler<PruneSnapshotsJob> {
    private final SnapshotPruner pruner;

    public PruneSnapshotsJobHandler(SnapshotPruner pruner) {
        this.pruner = pruner;
    }

    @Override
    @Job(name = "Prune expired snapshots", retries = 0)
    public void run(PruneSnapshotsJob job) {
        pruner.prune();
    }
}
