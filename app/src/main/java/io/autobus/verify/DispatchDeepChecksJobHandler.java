package io.autobus.verify;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class DispatchDeepChecksJobHandler implements JobRequestHandler<DispatchDeepChecksJob> {
    private final DeepCheckDispatcher dispatcher;

    public DispatchDeepChecksJobHandler(DeepCheckDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    @Job(name = "Dispatch monthly deep checks", retries = 0)
    public void run(DispatchDeepChecksJob job) {
        dispatcher.dispatch();
    }
}
