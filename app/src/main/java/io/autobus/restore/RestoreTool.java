package io.autobus.restore;

import io.autobus.dump.ToolPipeline;
import io.autobus.jobs.Deadline;
import io.autobus.verify.StdinFeeder;
import java.util.List;

/** A restore tool fed the snapshot on its stdin, stopped by the deadline. */
final class RestoreTool {
    private RestoreTool() {
    }

    /**
     * Runs {@code tool} until it exits.
     *
     * @return the tool's failure in its own words; null when it exited with 0
     * @throws RestoreException when our side could not feed it (the snapshot could not be read or unpacked)
     */
    static String run(ProcessBuilder tool, String secret, StdinFeeder.Source input, Deadline deadline) {
        try (var pipeline = ToolPipeline.start(List.of(tool), secret)) {
            deadline.guard(pipeline::close);
            var feeding = new StdinFeeder(pipeline, input);
            String failure = pipeline.awaitFailure();
            String feedProblem = feeding.await();
            if (failure == null && feedProblem != null) {
                throw new RestoreException(feedProblem);
            }
            return failure;
        }
    }
}
