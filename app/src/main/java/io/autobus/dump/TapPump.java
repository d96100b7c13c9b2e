package io.autobus.dump;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Moves one tool's stdout into the next tool's stdin on a thread of its own, showing every byte to a
 * {@link ToolPipeline.Tap} on the way. When the tap throws, the pump stops every tool (through
 * {@code stopTools}) and keeps the exception for whoever waits on the pipeline.
 */
final class TapPump {
    /**
     * Filled before it is passed on: dump tools write a few KB at a time, and one large write
     * instead of fifty small ones saves more of the compressor's time than the pump costs.
     */
    private static final int BUFFER_BYTES = 256 * 1024;

    private final InputStream from;
    private final OutputStream to;
    private final ToolPipeline.Tap tap;
    private final Runnable stopTools;
    /** Where the tap sits, for messages: {@code between sed and pigz}. */
    private final String place;
    private final Thread thread;
    private volatile Throwable failure;

    private TapPump(InputStream from, OutputStream to, ToolPipeline.Tap tap, Runnable stopTools, String place) {
        this.from = from;
        this.to = to;
        this.tap = tap;
        this.stopTools = stopTools;
        this.place = place;
        // A platform thread: on a virtual one every blocking pipe read and write pins its carrier and pays
        // the scheduler's compensation, measured at +0.6 s of CPU per GB dumped.
        this.thread = Thread.ofPlatform().daemon().name("tap-pump").unstarted(this::run);
    }

    static TapPump start(InputStream from, OutputStream to, ToolPipeline.Tap tap, Runnable stopTools, String place) {
        var pump = new TapPump(from, to, tap, stopTools, place);
        pump.thread.start();
        return pump;
    }

    private void run() {
        try {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = from.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                tap.pass(buffer, 0, n);
                to.write(buffer, 0, n);
            }
            tap.end();
        } catch (IOException e) {
            // A tool went away (killed, or the next one died): the tools' exit statuses say why.
        } catch (RuntimeException | Error e) {
            failure = e;
            stopTools.run();
        } finally {
            // The next tool sees the end of its input; the previous one, nobody reading.
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    /**
     * Waits for the pump to finish, which it does at once when the tools at both ends are gone;
     * throws when the tap threw (or never returned).
     */
    void await() throws IOException {
        try {
            if (!thread.join(java.time.Duration.ofSeconds(10))) {
                throw new IOException(tap.getClass().getSimpleName() + " " + place + " did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + tap.getClass().getSimpleName() + " " + place, e);
        }
        if (failure != null) {
            throw new IOException(tap.getClass().getSimpleName() + " " + place + " failed, so every tool was stopped: " + failure, failure);
        }
    }

    private static void closeQuietly(java.io.Closeable stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the tool at the other end is gone; its exit status tells
        }
    }
}
