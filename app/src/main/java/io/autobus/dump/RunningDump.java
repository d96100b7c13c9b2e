package io.autobus.dump;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A started dump: the tool pipeline, and the statistics being gathered meanwhile on the
 * connection that holds the consistent snapshot. Closing stops the tool and ends that
 * connection, then runs {@code cleanUp} (a credentials file, say).
 */
final class RunningDump implements Dump {
    private final ToolPipeline pipeline;
    private final String serverVersion;
    private final DumpTool tool;
    private final HeadCapture output;
    private final CompletableFuture<DatabaseStatistics> statistics;
    private final Connection connection;
    private final Runnable cleanUp;
    private final String partialReason;
    private final DumpProgress progress;

    /**
     * What made the file and what restores it.
     *
     * @param tool        e.g. {@code pg_dump 15.14}
     * @param note        why this tool and not the server's own version's; null when it is
     * @param restoreWith e.g. {@code pg_restore 15 or newer}
     */
    record DumpTool(String tool, String note, String restoreWith) {
    }

    /**
     * @param output   the snapshot file's bytes: the pipeline's output, or a stage reading it (and feeding {@code progress})
     * @param progress what {@code output}'s reader learns on the way
     */
    RunningDump(ToolPipeline pipeline, InputStream output, DumpProgress progress, String serverVersion, DumpTool tool,
                CompletableFuture<DatabaseStatistics> statistics, Connection connection, Runnable cleanUp) {
        this(pipeline, new HeadCapture(output), progress, serverVersion, tool, statistics, connection, cleanUp, null);
    }

    private RunningDump(ToolPipeline pipeline, HeadCapture output, DumpProgress progress, String serverVersion, DumpTool tool,
                        CompletableFuture<DatabaseStatistics> statistics, Connection connection, Runnable cleanUp, String partialReason) {
        this.pipeline = pipeline;
        this.progress = progress;
        this.serverVersion = serverVersion;
        this.tool = tool;
        this.output = output;
        this.statistics = statistics;
        this.connection = connection;
        this.cleanUp = cleanUp;
        this.partialReason = partialReason;
    }

    /** The same dump, leaving out what {@code reason} says (null: nothing). */
    RunningDump partial(String reason) {
        return new RunningDump(pipeline, output, progress, serverVersion, tool, statistics, connection, cleanUp, reason);
    }

    @Override
    public java.util.Optional<String> partialReason() {
        return java.util.Optional.ofNullable(partialReason);
    }

    @Override
    public InputStream output() {
        return output;
    }

    @Override
    public String tool() {
        return tool.tool();
    }

    @Override
    public String toolNote() {
        return tool.note();
    }

    @Override
    public String restoreWith() {
        return tool.restoreWith();
    }

    @Override
    public String archiveVersion() {
        return ArchiveHeader.version(output.head()).orElse(null);
    }

    /** Passes the stream through, keeping its first {@link ArchiveHeader#LENGTH} bytes. */
    private static final class HeadCapture extends java.io.FilterInputStream {
        private final byte[] head = new byte[ArchiveHeader.LENGTH];
        private int kept;

        HeadCapture(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0 && kept < head.length) {
                head[kept++] = (byte) b;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && kept < head.length) {
                int take = Math.min(n, head.length - kept);
                System.arraycopy(buffer, offset, head, kept, take);
                kept += take;
            }
            return n;
        }

        synchronized byte[] head() {
            return kept == head.length ? head.clone() : null;
        }
    }

    @Override
    public DumpProgress progress() {
        return progress;
    }

    @Override
    public String serverVersion() {
        return serverVersion;
    }

    /** The server's figures with the rows counted in the stream: call it once the output was read to its end. */
    @Override
    public DatabaseStatistics statistics() {
        try {
            return statistics.join().withCounts(progress.rowCounts());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    @Override
    public void close() {
        pipeline.close();
        try {
            output.close(); // a stage reading the pipeline lets go of its buffers and its compression blocks
        } catch (java.io.IOException ignored) {
            // the tools are gone either way
        }
        statistics.cancel(true);
        closeQuietly(connection);
        cleanUp.run();
    }

    /** Runs the statistics on a virtual thread, beside the dump. */
    static CompletableFuture<DatabaseStatistics> gather(java.util.function.Supplier<DatabaseStatistics> statistics) {
        return CompletableFuture.supplyAsync(statistics, task -> Thread.ofVirtual().start(task));
    }

    /** The first column of the first row. */
    static String queryString(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the connection is gone either way
        }
    }
}
