package io.autobus.dump;

import io.autobus.db.DatabaseUrl;

/** Starts dumps of one kind of database with that database's own tool. */
public interface Dumper {
    /** Checks the server and the tool, then starts; throws {@link DumpException} with a clear message when it cannot. */
    Dump start(DatabaseUrl url, DumpOptions options);

    /** The snapshot file's extension: {@code dump} (pg_dump custom format) or {@code sql.gz}. */
    String fileExtension();
}
