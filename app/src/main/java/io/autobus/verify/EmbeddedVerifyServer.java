package io.autobus.verify;

import io.autobus.db.MetadataDatabase;
import io.autobus.dump.ToolRun;
import io.autobus.dump.DatabaseUrl;
import io.autobus.db.EmbeddedPostgresServer;
import io.autobus.db.PostgresBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL this worker starts for verification, of the major version of the snapshots it verifies.
 * Its data (restored customer databases) lives under {@code AUTOBUS_HOME/verify/postgres-<pid>-<random>};
 * it listens on 127.0.0.1 only, with no Unix socket; and it never outlives the worker: a
 * watchdog process stops it and deletes its data as soon as the worker's process is gone,
 * whichever way it went (kill -9, OOM). {@link #sweep} removes what a watchdog could not.
 */
final class EmbeddedVerifyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedVerifyServer.class);
    private static final String PREFIX = "postgres-";
    /** Waits for the worker's pid to end, then stops the server (SIGQUIT: immediate) and deletes its data. */
    private static final String WATCHDOG = """
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            pid=$(head -n 1 "$2/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
            rm -rf "$2"
            """;

    private final EmbeddedPostgresServer postgres;
    private final Path data;
    private final Process watchdog;

    private EmbeddedVerifyServer(EmbeddedPostgresServer postgres, Path data, Process watchdog) {
        this.postgres = postgres;
        this.data = data;
        this.watchdog = watchdog;
    }

    /**
     * Starts a PostgreSQL {@code major} (one of {@link PostgresBinaries#MAJORS}) under {@code verifyRoot}, its
     * superuser's password random and known to this process only.
     */
    static EmbeddedVerifyServer start(Path verifyRoot, int major) {
        // Named after this process (so that a sweep knows whose it was), unique within it.
        Path data = verifyRoot.resolve(PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(verifyRoot);
            var postgres = EmbeddedPostgresServer.start(PostgresBinaries.unpacked(verifyRoot.resolveSibling("pg"), major), data,
                    ScratchServer.newPassword(),
                    // A scratch server: what it holds is thrown away, durability buys nothing; and with no replica, an
                    // index build (the restore's post-data part) writes no WAL. It runs on the worker's dyno beside the
                    // JVM: small shared buffers (a restore writes each table once, through a ring of its own) and index
                    // sorts that spill to disk sooner keep four restores at once within a 512 MB dyno (bench/worker-memory).
                    Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off", "wal_level", "minimal",
                            "max_wal_senders", "0", "shared_buffers", "16MB", "maintenance_work_mem", "8MB"));
            var watchdog = new ProcessBuilder("sh", "-c", WATCHDOG, "autobus-verify-watchdog",
                    Long.toString(ProcessHandle.current().pid()), data.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            watchdog.environment().clear();
            watchdog.environment().putAll(ToolRun.baseEnvironment());
            return new EmbeddedVerifyServer(postgres, data, watchdog.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded verification PostgreSQL in " + data, e);
        }
    }

    /** The superuser's URL of the server's {@code postgres} database. */
    DatabaseUrl admin() {
        return postgres.url("postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
            ToolRun.deleteTree(data);
        } finally {
            watchdog.destroy();
        }
    }

    /**
     * Stops the verification servers of processes that are gone and deletes their data (a
     * watchdog killed with its worker, a machine that lost power). Returns how many were removed.
     */
    static int sweep(Path verifyRoot) {
        if (!Files.isDirectory(verifyRoot)) {
            return 0;
        }
        int removed = 0;
        List<Path> leftovers;
        try (Stream<Path> dirs = Files.list(verifyRoot)) {
            leftovers = dirs.filter(dir -> ownerGone(dir, PREFIX)).toList();
        } catch (IOException e) {
            LOG.warn("event=verify_server_sweep_failed reason=\"{}\"", e.getMessage());
            return 0;
        }
        for (Path data : leftovers) {
            try {
                MetadataDatabase.stopLeftoverServer(data);
                ToolRun.deleteTree(data);
                removed++;
                LOG.info("event=verify_server_leftover_removed directory={}", data.getFileName());
            } catch (IOException e) {
                LOG.warn("event=verify_server_sweep_failed directory={} reason=\"{}\"", data.getFileName(), e.getMessage());
            }
        }
        return removed;
    }

    /** Whether {@code data} is named {@code <prefix><pid>-...} after a process that is gone (or is no longer a JVM). */
    static boolean ownerGone(Path data, String prefix) {
        String name = data.getFileName().toString();
        if (!name.startsWith(prefix)) {
            return false;
        }
        try {
            int dash = name.indexOf('-', prefix.length());
            long pid = Long.parseLong(name.substring(prefix.length(), dash < 0 ? name.length() : dash));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid)
                    .map(p -> !p.isAlive() || !p.info().command().orElse("").contains("java")).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
