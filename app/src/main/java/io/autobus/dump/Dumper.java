package io.autobus.dump;

import io.autobus.db.DatabaseUrl;
import java.net.InetAddress;

/** Starts dumps of one kind of database with that database's own tool. */
public interface Dumper {
    /**
     * Checks the server and the tool, then starts; throws {@link DumpException} with a clear message when it cannot.
     *
     * @param address the URL's host as the caller resolved and checked it: every connection goes there, the host
     *                name is never looked up again (it still names the server to TLS)
     */
    Dump start(DatabaseUrl url, InetAddress address, DumpOptions options);

    /** The snapshot file's extension: {@code dump} (pg_dump custom format) or {@code sql.gz}. */
    String fileExtension();
}
