package io.autobus.verify;

import io.autobus.backup.DatabaseLocks;
import io.autobus.dump.Tools;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a worker that stopped half-way left behind: the embedded verification servers of
 * dead processes (with the restored data), the private directories of tool runs (credentials
 * files), and scratch databases and their logins no running verification holds.
 */
public final class ScratchLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchLeftovers.class);

    private final ScratchServers servers;
    private final Tools tools;
    private final DatabaseLocks locks;

    public ScratchLeftovers(ScratchServers servers, Tools tools, DatabaseLocks locks) {
        this.servers = servers;
        this.tools = tools;
        this.locks = locks;
    }

    /** Returns how many scratch databases were dropped. */
    public int cleanUp() {
        EmbeddedVerifyServer.sweep(servers.root);
        EmbeddedMariadbServer.sweep(servers.root);
        tools.sweepLeftovers();
        int dropped = 0;
        for (ScratchServer server : servers.configured()) {
            try {
                for (String name : server.scratchDatabases()) {
                    var lock = locks.tryLock("verify:" + name.substring(ScratchServer.PREFIX.length()));
                    if (lock.isPresent()) {
                        try (var held = lock.get()) {
                            server.drop(name);
                            dropped++;
                            LOG.info("event=scratch_database_dropped name={}", name);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("event=scratch_cleanup_failed reason=\"{}\"", e.getMessage());
            }
        }
        return dropped;
    }
}
