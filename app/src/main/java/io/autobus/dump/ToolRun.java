package io.autobus.dump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of client tools (a dump, a restore): a private directory (mode 0700) that is the
 * tools' HOME and TMPDIR and holds their credentials files, and the only environment they see.
 * A tool never inherits the service's variables (keys, tokens, our own DATABASE_URL): customer
 * code that makes a tool or a server run a program would find nothing of ours. Closing deletes
 * the directory; {@link #sweep} deletes what a killed process left behind.
 */
public final class ToolRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ToolRun.class);
    private static final String PREFIX = "run-";
    /** What a tool may take from our own environment: where programs and their libraries are (apt buildpack). */
    private static final List<String> INHERITED = List.of("PATH", "LD_LIBRARY_PATH");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;

    private ToolRun(Path directory) {
        this.directory = directory;
    }

    /** A new private directory under {@code root} (created 0700 if missing). */
    public static ToolRun create(Path root) {
        try {
            createPrivateDirectory(root);
            Path directory = root.resolve(PREFIX + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(randomBytes()));
            createPrivateDirectory(directory);
            return new ToolRun(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private directory for the database tools under " + root, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** The environment for a tool of this run: PATH, a neutral locale, HOME and TMPDIR here, then {@code settings}. */
    public Map<String, String> environment(Map<String, String> settings) {
        var environment = baseEnvironment();
        environment.put("HOME", directory.toString());
        environment.put("TMPDIR", directory.toString());
        environment.putAll(settings);
        return environment;
    }

    /** Replaces a process builder's inherited environment with {@link #environment}. */
    public ProcessBuilder apply(ProcessBuilder builder, Map<String, String> settings) {
        builder.environment().clear();
        builder.environment().putAll(environment(settings));
        return builder.directory(directory.toFile());
    }

    /** The environment of a tool that needs nothing of ours ({@code --version}, gzip). */
    public static Map<String, String> baseEnvironment() {
        var environment = new LinkedHashMap<String, String>();
        for (String name : INHERITED) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment.put("LANG", "C.UTF-8");
        environment.put("LC_ALL", "C.UTF-8");
        environment.put("TZ", "UTC");
        return environment;
    }

    /** Writes a file only this process's user can read (a MySQL defaults file, a restore list). */
    public Path writePrivateFile(String name, String content) {
        try {
            Path file = directory.resolve(name);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " for the database tools", e);
        }
    }

    @Override
    public void close() {
        deleteTree(directory);
    }

    /**
     * Deletes the run directories of processes that are gone (a worker killed during a dump
     * leaves its defaults file, password and all). Returns how many were deleted.
     */
    public static int sweep(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> runs = Files.list(root)) {
            for (Path run : runs.filter(ToolRun::leftover).toList()) {
                deleteTree(run);
                deleted++;
                LOG.info("event=tool_run_leftover_deleted directory={}", run.getFileName());
            }
        } catch (IOException e) {
            LOG.warn("event=tool_run_sweep_failed reason=\"{}\"", e.getMessage());
        }
        return deleted;
    }

    private static boolean leftover(Path run) {
        String name = run.getFileName().toString();
        if (!name.startsWith(PREFIX)) {
            return false;
        }
        try {
            long pid = Long.parseLong(name.substring(PREFIX.length(), name.indexOf('-', PREFIX.length())));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()
                    || !p.info().command().orElse("").contains("java")).orElse(true);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        try {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Deletes a directory and everything in it; logs what it could not delete. */
    public static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("event=tool_run_delete_failed directory={} reason=\"{}\"", directory.getFileName(), e.getMessage());
        }
    }
}
