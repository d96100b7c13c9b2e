package io.autobus.addon;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

public final class CheckAccessJobHandler implements JobRequestHandler<CheckAccessJob> {
    private final AccessChecker checker;

    public CheckAccessJobHandler(AccessChecker checker) {
        this.checker = checker;
    }

    @Override
    @Job(name = "Check add-on access", retries = 2)
    public void run(CheckAccessJob job) {
        checker.check(job.addonId());
    }
}
