package io.autobus.dump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the database client tools installed on this machine: on PATH, in Debian's
 * {@code /usr/lib/postgresql/<major>/bin}, and where Heroku's apt buildpack unpacks them.
 */
public final class Tools {
    private static final List<Path> VERSIONED_ROOTS = List.of(
            Path.of("/usr/lib/postgresql"), Path.of("/app/.apt/usr/lib/postgresql"));
    /** Also the sbin directories: the verification MariaDB's {@code mariadbd} lives there. */
    private static final List<Path> EXTRA_DIRS = List.of(Path.of("/app/.apt/usr/bin"), Path.of("/usr/bin"),
            Path.of("/app/.apt/usr/sbin"), Path.of("/usr/sbin"));

    private final List<Path> searchDirs;
    private final Path workRoot;

    private Tools(List<Path> searchDirs, Path workRoot) {
        this.searchDirs = searchDirs;
        this.workRoot = workRoot;
    }

    /**
     * The usual places.
     *
     * @param workRoot a directory of ours (AUTOBUS_HOME/tmp) where each run gets a private directory
     */
    public static Tools installed(Path workRoot) {
        var dirs = new LinkedHashSet<Path>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        for (Path root : VERSIONED_ROOTS) {
            try (Stream<Path> versions = Files.list(root)) {
                versions.map(version -> version.resolve("bin")).sorted().forEach(dirs::add);
            } catch (IOException ignored) {
                // not installed there
            }
        }
        dirs.addAll(EXTRA_DIRS);
        return new Tools(List.copyOf(dirs), workRoot);
    }

    /** Only these directories (tests pin a tool version this way). */
    public static Tools in(List<Path> dirs, Path workRoot) {
        return new Tools(List.copyOf(dirs), workRoot);
    }

    /** A private directory and a scrubbed environment for one run of tools; close it when they are done. */
    public ToolRun newRun() {
        return ToolRun.create(workRoot);
    }

    /** Deletes what runs of killed processes left under the work root (credentials files included). */
    public int sweepLeftovers() {
        return ToolRun.sweep(workRoot);
    }

    /** Every executable named {@code name}, in search order, each once (symlinks resolved). */
    List<Path> all(String name) {
        var found = new LinkedHashSet<Path>();
        for (Path dir : searchDirs) {
            Path candidate = dir.resolve(name);
            if (Files.isExecutable(candidate)) {
                try {
                    found.add(candidate.toRealPath());
                } catch (IOException e) {
                    found.add(candidate);
                }
            }
        }
        return new ArrayList<>(found);
    }

    /** The installed {@code name}s by major version, one each (the first found in search order), oldest first. */
    public java.util.SortedMap<Integer, Path> byMajor(String name) {
        var byMajor = new java.util.TreeMap<Integer, Path>();
        for (Path tool : all(name)) {
            int major = majorVersion(tool);
            if (major > 0) {
                byMajor.putIfAbsent(major, tool);
            }
        }
        return byMajor;
    }

    /** The installed {@code name} with the highest major version ({@code pg_restore 17} over 15). */
    public Optional<Path> newest(String name) {
        return all(name).stream().max(java.util.Comparator.comparingInt(Tools::majorVersion));
    }

    /** The first number of {@code tool --version} after the product name, or 0. */
    static int majorVersion(Path tool) {
        var matcher = java.util.regex.Pattern.compile("\\)\\s+(\\d+)").matcher(versionOf(tool));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    public Optional<Path> first(String... names) {
        for (String name : names) {
            var all = all(name);
            if (!all.isEmpty()) {
                return Optional.of(all.getFirst());
            }
        }
        return Optional.empty();
    }

    /** Whether {@code tool --help} lists {@code option} (e.g. the mariadb client's {@code --sandbox}, 10.11.8 and later). */
    public static boolean supports(Path tool, String option) {
        return run(tool, "--help").contains(option);
    }

    /**
     * The tool's name and version as a snapshot records it: {@code pg_dump 15.14},
     * {@code mariadb-dump 10.11.6-MariaDB}; the bare name when its version cannot be read.
     */
    public static String describe(Path tool) {
        return describe(tool.getFileName().toString(), versionOf(tool));
    }

    /** {@link #describe(Path)} from what {@code --version} printed. */
    static String describe(String name, String versionOutput) {
        // MariaDB's tools print "Ver 10.19 Distrib 10.11.6-MariaDB": the server release is the one that matters.
        for (String pattern : List.of("Distrib (\\S+?),", "\\)\\s+(\\d+(?:\\.\\d+)*)", "(\\d+(?:\\.\\d+)+)")) {
            var matcher = java.util.regex.Pattern.compile(pattern).matcher(versionOutput);
            if (matcher.find()) {
                return name + " " + matcher.group(1);
            }
        }
        return name;
    }

    /** What {@code tool --version} prints, or empty when it cannot run. */
    public static String versionOf(Path tool) {
        return run(tool, "--version");
    }

    private static String run(Path tool, String argument) {
        try {
            var builder = new ProcessBuilder(tool.toString(), argument).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(ToolRun.baseEnvironment());
            var process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
