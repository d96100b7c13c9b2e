package io.autobus.dump;

import io.autobus.dump.DatabaseUrl;
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

    /**
     * Connects and checks what a dump needs (the server answers, a tool here can dump it, the login can read the
     * tables), without dumping: what attaching a database tests before saving it.
     *
     * @throws DumpException saying what failed, in words for the customer
     */
    Reachable check(DatabaseUrl url, InetAddress address);

    /**
     * @param server like {@code PostgreSQL 15.4} or {@code MariaDB 10.11.6}
     * @param tool   the dump tool that would dump it, e.g. {@code pg_dump 15.4}
     */
    record Reachable(String server, String tool) {
    }

    /** The snapshot file's extension: {@code dump} (pg_dump custom format) or {@code sql.gz}. */
    String fileExtension();
}
