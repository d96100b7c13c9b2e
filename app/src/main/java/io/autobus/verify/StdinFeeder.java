package io.autobus.verify;

import io.autobus.dump.ToolPipeline;
import java.io.IOException;
import java.io.InputStream;

/** Copies a snapshot into a tool's stdin on its own thread, keeping what went wrong on our side of the pipe. */
public final class StdinFeeder {
    private final Thread thread;
    private volatile String problem;

    public interface Source {
        InputStream open() throws IOException;
    }

    public StdinFeeder(ToolPipeline pipeline, Source source) {
        var stdin = pipeline.stdin();
        thread = Thread.ofVirtual().start(() -> {
            try (stdin; var input = source.open()) {
                input.transferTo(stdin);
            } catch (IOException e) {
                // A tool that stopped reading has its own exit status; a snapshot that cannot be unpacked does not.
                if (!"Broken pipe".equals(e.getMessage()) && !"Stream closed".equals(e.getMessage())) {
                    problem = "the snapshot could not be read: " + e.getMessage();
                }
            } catch (RuntimeException e) {
                problem = "the snapshot could not be read: " + e.getMessage(); // gone from the store meanwhile, say
            }
        });
    }

    /** Waits for the copy to end; null when our side was fine. */
    public String await() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return problem;
    }
}
