package io.autobus.backup;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class PruneSnapshotsJobHandler implements JobRequestHandler<PruneSnapshotsJob> {
    private final SnapshotPruner pruner;
    private final LeftoverObjectsSweeper sweeper;

    public PruneSnapshotsJobHandler(SnapshotPruner pruner, LeftoverObjectsSweeper sweeper) {
        this.pruner = pruner;
        this.sweeper = sweeper;
    }

    @Override
    @Job(name = "Prune expired snapshots and the objects of failed runs", retries = 0)
    public void run(PruneSnapshotsJob job) {
        pruner.prune();
        sweeper.sweep();
    }
}
