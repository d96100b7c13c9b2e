package io.autobus.backup;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Recurring: delete the snapshots past their retention, and the objects failed runs left. */
public record PruneSnapshotsJob() implements JobRequest {
    @Override
    public Class<PruneSnapshotsJobHandler> getJobRequestHandler() {
        return PruneSnapshotsJobHandler.class;
    }
}
