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

    /** Why the dump leaves out some of the database (objects the user may not read); empty for a whole dump. */
    default java.util.Optional<String> partialReason() {
        return java.util.Optional.empty();
    }

    /** Taken at dump time; waits for the statistics if they are still being gathered. */
    DatabaseStatistics statistics();

    @Override
    void close();
}
