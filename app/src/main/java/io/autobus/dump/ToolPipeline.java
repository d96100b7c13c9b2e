package io.autobus.dump;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child processes connected stdout to stdin (like {@code tool | gzip}, without a shell), whose
 * last stdout is read as a stream; optionally with a {@link Tap} between two of them, which Java
 * feeds. The stream reaches its end only after every process exited with 0 (and the tap took
 * every byte); otherwise reading fails with the tools' stderr, or what the tap threw, so a
 * consumer never mistakes a truncated dump for a whole one.
 */
public final class ToolPipeline implements AutoCloseable {
    private static final int STDERR_TAIL_BYTES = 8 * 1024;
    /** How a shell reports a process killed by SIGPIPE (128 + 13), and how Java sees it. */
    private static final int SIGPIPE_EXIT = 141;

    private final List<Process> processes;
    private final List<StderrTail> stderr = new ArrayList<>();
    private final List<String> names;
    private final String secret;
    /** Between two stages when there is a tap; else null. */
    private final TapPump pump;

    /**
     * Sees every byte passing between two stages, in order, on the one thread that moves them.
     * What it throws stops every tool and fails the pipeline's output; it should be quick, as
     * the tools wait for it.
     */
    public interface Tap {
        void pass(byte[] bytes, int offset, int length);

        /** No more bytes: the stages before it closed their output (whether or not they succeeded). */
        void end();
    }

    private ToolPipeline(List<Process> processes, List<String> names, String secret, TapPump pump) {
        this.processes = processes;
        this.names = names;
        this.secret = secret;
        this.pump = pump;
        for (Process process : processes) {
            var tail = new StderrTail(process.getErrorStream());
            stderr.add(tail);
            Thread.ofVirtual().start(tail);
        }
    }

    /**
     * @param secret a value to blank out of the tools' messages (the database password)
     */
    public static ToolPipeline start(List<ProcessBuilder> stages, String secret) {
        return new ToolPipeline(startAll(stages), names(stages), secret, null);
    }

    /**
     * {@code before | tap | after}: Java reads the last of {@code before} and writes the first of
     * {@code after}, showing the bytes to {@code tap} on the way.
     */
    public static ToolPipeline start(List<ProcessBuilder> before, Tap tap, List<ProcessBuilder> after, String secret) {
        var upstream = startAll(before);
        List<Process> downstream;
        try {
            downstream = startAll(after);
        } catch (DumpException e) {
            upstream.forEach(Process::destroyForcibly);
            throw e;
        }
        var processes = new ArrayList<>(upstream);
        processes.addAll(downstream);
        var names = new ArrayList<>(names(before));
        names.addAll(names(after));
        var pump = TapPump.start(upstream.getLast().getInputStream(), downstream.getFirst().getOutputStream(), tap,
                () -> kill(processes), "between " + names.get(upstream.size() - 1) + " and " + names.get(upstream.size()));
        return new ToolPipeline(List.copyOf(processes), List.copyOf(names), secret, pump);
    }

    private static List<Process> startAll(List<ProcessBuilder> stages) {
        try {
            return ProcessBuilder.startPipeline(stages);
        } catch (IOException e) {
            throw new DumpException("could not start " + stages.getFirst().command().getFirst() + ": " + e.getMessage(), e);
        }
    }

    private static List<String> names(List<ProcessBuilder> stages) {
        return stages.stream().map(stage -> java.nio.file.Path.of(stage.command().getFirst()).getFileName().toString()).toList();
    }

    /** The last tool's stdout; read it to the end. */
    public InputStream output() {
        return new FilterInputStream(processes.getLast().getInputStream()) {
            private boolean checked;

            @Override
            public int read() throws IOException {
                int b = super.read();
                return b < 0 ? endOfStream() : b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                return n < 0 ? endOfStream() : n;
            }

            private int endOfStream() throws IOException {
                if (!checked) {
                    checked = true;
                    awaitSuccess();
                }
                return -1;
            }
        };
    }

    /**
     * Waits for every tool. The one to blame is the first in pipe order that failed for its own
     * reason: a stage killed by SIGPIPE only shows that a later stage stopped reading (mysql at its
     * first error, say), and its empty stderr would hide the real cause. A tap that threw comes
     * before all: it stopped the tools itself.
     */
    private void awaitSuccess() throws IOException {
        int blamed = -1;
        int[] exits = new int[processes.size()];
        for (int i = 0; i < processes.size(); i++) {
            try {
                exits[i] = processes.get(i).waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + names.get(i), e);
            }
            boolean ownFailure = exits[i] != 0 && exits[i] != SIGPIPE_EXIT;
            if (exits[i] != 0 && (blamed < 0 || ownFailure && exits[blamed] == SIGPIPE_EXIT)) {
                blamed = i;
            }
        }
        awaitTap();
        if (blamed >= 0) {
            throw new IOException(names.get(blamed) + " failed (exit " + exits[blamed] + "): " + stderrOf(blamed));
        }
    }

    private void awaitTap() throws IOException {
        if (pump != null) {
            pump.await();
        }
    }

    /** The first tool's stdin: whoever writes it closes it, so that the tool sees the end of its input. */
    public java.io.OutputStream stdin() {
        return processes.getFirst().getOutputStream();
    }

    /** Waits for every tool; null when all succeeded, else which one failed and its stderr. */
    public String awaitFailure() {
        try {
            awaitSuccess();
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** What the tool wrote to stderr, its last few KB, without the secret. */
    public String stderrOf(int stage) {
        stderr.get(stage).awaitEnd();
        String text = stderr.get(stage).text().strip();
        return io.autobus.dump.DatabaseUrl.blanked(text, secret);
    }

    /** Kills whatever still runs (the tap's pump then ends too); harmless after a clean end. */
    @Override
    public void close() {
        kill(processes);
        try {
            awaitTap();
        } catch (IOException ignored) {
            // closing: whatever the tap threw no longer matters
        }
    }

    private static void kill(List<Process> processes) {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Keeps the last bytes of a stream, reading it to its end. */
    private static final class StderrTail implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        StderrTail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        kept.write(buffer, 0, n);
                        if (kept.size() > 2 * STDERR_TAIL_BYTES) {
                            byte[] all = kept.toByteArray();
                            kept.reset();
                            kept.write(all, all.length - STDERR_TAIL_BYTES, STDERR_TAIL_BYTES);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process went away; what we have is what there is
            } finally {
                done.countDown();
            }
        }

        void awaitEnd() {
            try {
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String text() {
            synchronized (kept) {
                byte[] all = kept.toByteArray();
                int from = Math.max(0, all.length - STDERR_TAIL_BYTES);
                return new String(all, from, all.length - from, StandardCharsets.UTF_8);
            }
        }
    }
}
