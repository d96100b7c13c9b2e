package io.autobus.dump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
    private static final List<Path> EXTRA_DIRS = List.of(Path.of("/app/.apt/usr/bin"), Path.of("/usr/bin"));

    private final List<Path> searchDirs;

    private Tools(List<Path> searchDirs) {
        this.searchDirs = searchDirs;
    }

    /** The usual places. */
    public static Tools installed() {
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
        return new Tools(List.copyOf(dirs));
    }

    /** Only these directories (tests pin a tool version this way). */
    public static Tools in(List<Path> dirs) {
        return new Tools(List.copyOf(dirs));
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

    /** What {@code tool --version} prints, or empty when it cannot run. */
    static String versionOf(Path tool) {
        try {
            var process = new ProcessBuilder(tool.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * The environment for a child tool: ours (PATH, LD_LIBRARY_PATH from the apt buildpack ...)
     * without anything that would steer the tool elsewhere, plus {@code settings}.
     */
    public static void prepareEnvironment(Map<String, String> environment, Map<String, String> settings) {
        environment.keySet().removeIf(key -> key.startsWith("PG") || key.startsWith("MYSQL") || key.equals("DATABASE_URL"));
        environment.putAll(settings);
    }
}
