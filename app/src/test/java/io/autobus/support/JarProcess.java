package io.autobus.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar as one process of a deployment, as a Procfile line starts it:
 * {@code java $JAVA_OPTS -jar autobus.jar web} (or {@code worker}), configured by its environment
 * only. Everything it prints is kept (and copied to a log file); every process it starts
 * (dump tools, embedded verification servers and their watchdogs) is remembered by its handle,
 * so that {@link #close} can end what outlived it, even after a {@link #kill}.
 */
public final class JarProcess implements AutoCloseable {
    private static final Duration TRACK_EVERY = Duration.ofMillis(250);

    private final String name;
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService tracker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    private final Thread reader;

    private JarProcess(String name, Process process, Path log) throws IOException {
        this.name = name;
        this.process = process;
        Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        this.reader = Thread.ofVirtual().name("output-" + name).start(() -> {
            try (file; var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    out.append(line).append('\n');
                    file.write(line);
                    file.write('\n');
                    file.flush();
                }
            } catch (IOException | UncheckedIOException ignored) {
                // the process ended
            }
        });
        tracker.scheduleAtFixedRate(this::track, 0, TRACK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts {@code <launcher> java <jvmOptions> -jar <jar> <arguments>} in {@code directory} with exactly {@code environment}
     * (and PATH); its output goes to {@code directory/<name>.log} as well. The launcher (usually none) must exec java in
     * its own process, so that the process started is java's.
     */
    public static JarProcess start(String name, Path jar, Path directory, List<String> launcher, List<String> jvmOptions,
                                   List<String> arguments, Map<String, String> environment) throws IOException {
        Files.createDirectories(directory);
        var command = new ArrayList<String>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        command.addAll(arguments);
        var builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(environment);
        return new JarProcess(name, builder.start(), directory.resolve(name + ".log"));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Everything printed so far. */
    public String output() {
        return out.toString();
    }

    /** The lines printed so far that contain {@code text}. */
    public List<String> lines(String text) {
        return output().lines().filter(line -> line.contains(text)).toList();
    }

    /**
     * SIGKILL, as a dyno that runs out of memory or a host that fails: no shutdown hook runs. Waits for the end, and
     * for what it printed before it to be read (a few seconds at most: a child still holding its output may keep it open).
     */
    public void kill() throws InterruptedException {
        track();
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") outlived SIGKILL for 30 s");
        }
        reader.join(Duration.ofSeconds(5));
    }

    /** SIGTERM (what Heroku sends at a restart), SIGKILL after 30 s; then whatever it started that is still running. */
    @Override
    public void close() throws InterruptedException {
        try {
            track();
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            tracker.shutdownNow();
            track();
            for (ProcessHandle child : started) {
                if (child.isAlive()) { // a handle compares start times too: never a later process with a reused pid
                    child.destroyForcibly();
                }
            }
            for (ProcessHandle child : started) {
                child.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> child).join();
            }
        }
    }

    /** Remembers the descendants alive now: once the process is gone they are orphans, no longer its descendants. */
    private void track() {
        if (process.isAlive()) {
            process.descendants().forEach(started::add);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
