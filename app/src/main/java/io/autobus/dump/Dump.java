package io.autobus.dump;

import java.io.InputStream;

/**
 * A running dump: the tool's output, already in the snapshot's file format, and what was
 * learnt about the database on the way. Closing it stops the tool if it still runs.
 */
public interface Dump extends AutoCloseable {
    /** Ends only after the tool succeeded; a failing tool makes reading throw, with its stderr. */
    InputStream output();

    /** e.g. {@code 15.4} or {@code 10.11.6-MariaDB}. */
    String serverVersion();

    /** Taken at dump time; waits for the statistics if they are still being gathered. */
    DatabaseStatistics statistics();

    @Override
    void close();
}
