package io.autobus.verify;

import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.ToolRun;
import io.autobus.dump.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB this worker starts for verification when no {@code VERIFY_MYSQL_URL} is set: the
 * installed {@code mariadbd}, its data (restored customer schemas) under
 * {@code AUTOBUS_HOME/verify/mariadb-<pid>-<random>} (0700), its Unix socket in that directory,
 * TCP on 127.0.0.1 only, root's password random and known to this process only (the data
 * directory holds only its hash), {@code secure_file_priv} an empty private directory. Like
 * {@link EmbeddedVerifyServer} it never outlives the worker: a watchdog stops it and deletes its
 * data when the worker's pid is gone, and {@link #sweep} removes what a watchdog could not.
 */
final class EmbeddedMariadbServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariadbServer.class);
    static final String PREFIX = "mariadb-";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** Waits for the worker's pid to end, then stops the server (SIGKILL: its data is thrown away) and deletes its directory. */
    private static final String WATCHDOG = """
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            pid=$(cat "$2/mariadbd.pid" 2>/dev/null) && kill -KILL "$pid" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
            rm -rf "$2"
            """;

    private final Process server;
    private final Process watchdog;
    private final Path directory;
    private final DatabaseUrl admin;

    private EmbeddedMariadbServer(Process server, Process watchdog, Path directory, DatabaseUrl admin) {
        this.server = server;
        this.watchdog = watchdog;
        this.directory = directory;
        this.admin = admin;
    }

    /** Whether this machine can start one ({@code mariadbd} and {@code mariadb-install-db} installed). */
    static boolean installed(Tools tools) {
        return tools.first("mariadbd").isPresent() && tools.first("mariadb-install-db").isPresent();
    }

    /** Makes a data directory under {@code verifyRoot} and starts the server on it; returns once it accepts root's login. */
    static EmbeddedMariadbServer start(Path verifyRoot, Tools tools) {
        Path mariadbd = tools.first("mariadbd").orElseThrow(() -> new IllegalStateException("mariadbd is not installed"));
        Path installDb = tools.first("mariadb-install-db").orElseThrow(() -> new IllegalStateException("mariadb-install-db is not installed"));
        // Named after this process (so that a sweep knows whose it was), unique within it.
        Path directory = verifyRoot.resolve(PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
        Path base = mariadbd.getParent().getParent(); // /usr, or /app/.apt/usr under Heroku's apt buildpack
        String password = ScratchServer.newPassword();
        try {
            Files.createDirectories(verifyRoot);
            privateDirectory(directory);
            privateDirectory(directory.resolve("files"));
            bootstrap(installDb, tools.first("mariadb-tzinfo-to-sql"), base, directory, password);
            for (int attempt = 1; ; attempt++) {
                int port = freePort();
                var process = run(new ProcessBuilder(serverCommand(mariadbd, base, directory, port)), directory).start();
                var admin = new DatabaseUrl(DatabaseUrl.Engine.MYSQL, "root", password, "127.0.0.1", port, "mysql", Map.of());
                try {
                    awaitLogin(process, admin, directory);
                } catch (IllegalStateException e) {
                    process.destroyForcibly().waitFor();
                    if (attempt < 3 && errorLog(directory).contains("Address already in use")) {
                        continue; // the free port was taken in between
                    }
                    throw e;
                }
                var watchdog = run(new ProcessBuilder("sh", "-c", WATCHDOG, "autobus-verify-watchdog",
                        Long.toString(ProcessHandle.current().pid()), directory.toString()), directory).start();
                LOG.info("event=verify_mariadb_started port={} directory={}", port, directory.getFileName());
                return new EmbeddedMariadbServer(process, watchdog, directory, admin);
            }
        } catch (IOException e) {
            ToolRun.deleteTree(directory);
            throw new UncheckedIOException("cannot start the verification MariaDB in " + directory + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ToolRun.deleteTree(directory);
            throw new IllegalStateException("interrupted while starting the verification MariaDB", e);
        } catch (RuntimeException e) {
            ToolRun.deleteTree(directory);
            throw e;
        }
    }

    /** root's URL of the server's {@code mysql} schema, over 127.0.0.1. */
    DatabaseUrl admin() {
        return admin;
    }

    boolean running() {
        return server.isAlive();
    }

    @Override
    public void close() {
        try {
            server.destroy(); // SIGTERM: mariadbd shuts down cleanly
            try {
                if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.destroyForcibly();
            }
            ToolRun.deleteTree(directory);
            LOG.info("event=verify_mariadb_stopped directory={}", directory.getFileName());
        } finally {
            watchdog.destroy();
        }
    }

    /**
     * The system tables, with root reachable only from localhost and 127.0.0.1 and only with the
     * password. The bootstrap reads its SQL from a file, so the file holds the password's
     * {@code mysql_native_password} hash (what the data directory stores anyway), never the password.
     * The time zone tables are loaded too: dumps set named zones ({@code SET time_zone = 'UTC'} before an event).
     */
    private static void bootstrap(Path installDb, java.util.Optional<Path> tzinfoToSql, Path base, Path directory, String password)
            throws IOException, InterruptedException {
        Path sql = directory.resolve("bootstrap.sql");
        Path zoneinfo = Path.of("/usr/share/zoneinfo");
        if (tzinfoToSql.isPresent() && Files.isDirectory(zoneinfo)) {
            var zones = run(new ProcessBuilder(tzinfoToSql.get().toString(), zoneinfo.toString()), directory)
                    .redirectOutput(sql.toFile()).start();
            if (!zones.waitFor(STARTUP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || zones.exitValue() != 0) {
                zones.destroyForcibly();
                Files.writeString(sql, ""); // named zones then fail the restore, which says so
            }
        }
        Files.writeString(sql, """
                DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1'));
                DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost', '127.0.0.1');
                UPDATE mysql.global_priv SET Priv = JSON_SET(Priv, '$.plugin', 'mysql_native_password',
                  '$.authentication_string', '%s') WHERE User = 'root';
                """.formatted(nativePasswordHash(password)), StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        var command = new ArrayList<>(List.of(installDb.toString(), "--no-defaults", "--basedir=" + base,
                "--datadir=" + directory.resolve("data"), "--auth-root-authentication-method=normal", "--skip-test-db",
                "--skip-name-resolve", "--extra-file=" + sql));
        asRoot(command);
        Path log = directory.resolve("install.log");
        var process = run(new ProcessBuilder(command), directory).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(STARTUP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        Files.deleteIfExists(sql);
        if (!ended || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("mariadb-install-db failed: " + tail(Files.readString(log)));
        }
        Files.setPosixFilePermissions(directory.resolve("data"), PosixFilePermissions.fromString("rwx------"));
    }

    private static List<String> serverCommand(Path mariadbd, Path base, Path directory, int port) {
        var command = new ArrayList<>(List.of(mariadbd.toString(),
                "--no-defaults", // must come first: no /etc/mysql/my.cnf, no ~/.my.cnf
                "--basedir=" + base, "--plugin-dir=" + base.resolve("lib/mysql/plugin"),
                "--lc-messages-dir=" + base.resolve("share/mysql"),
                "--datadir=" + directory.resolve("data"), "--socket=" + directory.resolve("mariadbd.sock"),
                "--pid-file=" + directory.resolve("mariadbd.pid"), "--log-error=" + directory.resolve("error.log"),
                "--bind-address=127.0.0.1", "--port=" + port, "--skip-name-resolve",
                "--secure-file-priv=" + directory.resolve("files"),
                // A scratch server: what it holds is thrown away, durability buys nothing.
                "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0", "--skip-log-bin"));
        asRoot(command);
        return command;
    }

    /** mariadbd refuses to run as root unless told to (the tests, and containers, run as root). */
    private static void asRoot(List<String> command) {
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            command.add("--user=root");
        }
    }

    private static ProcessBuilder run(ProcessBuilder builder, Path directory) {
        builder.environment().clear();
        builder.environment().putAll(ToolRun.baseEnvironment());
        builder.environment().put("HOME", directory.toString());
        builder.environment().put("TMPDIR", directory.toString());
        return builder.directory(directory.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    private static void awaitLogin(Process process, DatabaseUrl admin, Path directory) throws InterruptedException {
        long until = System.nanoTime() + STARTUP.toNanos();
        SQLException last = null;
        while (System.nanoTime() < until && process.isAlive()) {
            try (var connection = new MysqlScratch(admin).connect(admin)) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the verification MariaDB did not start" + (process.isAlive() ? " within " + STARTUP.toSeconds()
                + " s" : " (exit " + process.exitValue() + ")") + ": " + tail(errorLog(directory))
                + (last == null ? "" : " / " + last.getMessage()));
    }

    private static String errorLog(Path directory) {
        try {
            return Files.readString(directory.resolve("error.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text.strip() : text.substring(text.length() - 2000).strip();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void privateDirectory(Path directory) throws IOException {
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** {@code mysql_native_password}'s stored form: {@code *} and the upper-case hex of SHA-1(SHA-1(password)). */
    static String nativePasswordHash(String password) {
        try {
            var sha1 = MessageDigest.getInstance("SHA-1");
            byte[] twice = sha1.digest(sha1.digest(password.getBytes(StandardCharsets.UTF_8)));
            return "*" + HexFormat.of().withUpperCase().formatHex(twice);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the verification MariaDBs of processes that are gone and deletes their data (a
     * watchdog killed with its worker, a machine that lost power). Returns how many were removed.
     */
    static int sweep(Path verifyRoot) {
        if (!Files.isDirectory(verifyRoot)) {
            return 0;
        }
        List<Path> leftovers;
        try (Stream<Path> dirs = Files.list(verifyRoot)) {
            leftovers = dirs.filter(dir -> EmbeddedVerifyServer.ownerGone(dir, PREFIX)).toList();
        } catch (IOException e) {
            LOG.warn("event=verify_mariadb_sweep_failed reason=\"{}\"", e.getMessage());
            return 0;
        }
        for (Path directory : leftovers) {
            try {
                long pid = Long.parseLong(Files.readString(directory.resolve("mariadbd.pid")).strip());
                ProcessHandle.of(pid).filter(p -> p.info().command().orElse("").endsWith("mariadbd")).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
                });
            } catch (IOException | RuntimeException e) {
                // no pid file, or no such process: nothing runs on it
            }
            ToolRun.deleteTree(directory);
            LOG.info("event=verify_mariadb_leftover_removed directory={}", directory.getFileName());
        }
        return leftovers.size();
    }
}
