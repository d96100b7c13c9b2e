package io.autobus.backup;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class DispatchBackupsJobHandler implements JobRequestHandler<DispatchBackupsJob> {
    private final BackupDispatcher dispatcher;

    public DispatchBackupsJobHandler(BackupDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    @Job(name = "Dispatch due backups", retries = 0)
    public void run(DispatchBackupsJob job) {
        dispatcher.dispatch();
    }
}
