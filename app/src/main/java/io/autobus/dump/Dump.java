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
    /** The tool and its version, e.g. {@code pg_dump 15.14} or {@code mariadb-dump 10.11.6-MariaDB}. */
    String tool();

    /** Why this tool and not the server's own version's, or null when it is the obvious one. */
    String toolNote();

    /** Which client restores the file, e.g. {@code pg_restore 15 or newer}, {@code mysql / mariadb client}. */
    String restoreWith();

    /** The archive format's version read from the output's head ({@code 1.14}); null for SQL, or before the output was read. */
    String archiveVersion();

    /** What the dump has passed so far (bytes, current table, rows), read while it runs. */
    DumpProgress progress();

    /** Taken at dump time; waits for the statistics if they are still being gathered. */
    DatabaseStatistics statistics();

    @Override
    void close();
}
