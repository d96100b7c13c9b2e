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
    private final CompletableFuture<DatabaseStatistics> statistics;
    private final Connection connection;
    private final Runnable cleanUp;
    private final String partialReason;

    RunningDump(ToolPipeline pipeline, String serverVersion, CompletableFuture<DatabaseStatistics> statistics,
                Connection connection, Runnable cleanUp) {
        this(pipeline, serverVersion, statistics, connection, cleanUp, null);
    }

    private RunningDump(ToolPipeline pipeline, String serverVersion, CompletableFuture<DatabaseStatistics> statistics,
                        Connection connection, Runnable cleanUp, String partialReason) {
        this.pipeline = pipeline;
        this.serverVersion = serverVersion;
        this.statistics = statistics;
        this.connection = connection;
        this.cleanUp = cleanUp;
        this.partialReason = partialReason;
    }

    /** The same dump, leaving out what {@code reason} says (null: nothing). */
    RunningDump partial(String reason) {
        return new RunningDump(pipeline, serverVersion, statistics, connection, cleanUp, reason);
    }

    @Override
    public java.util.Optional<String> partialReason() {
        return java.util.Optional.ofNullable(partialReason);
    }

    @Override
    public InputStream output() {
        return pipeline.output();
    }

    @Override
    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public DatabaseStatistics statistics() {
        try {
            return statistics.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    @Override
    public void close() {
        pipeline.close();
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
