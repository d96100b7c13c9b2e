package io.autobus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service as users run it: {@code java -Xmx256m -jar autobus.jar} with no role argument, so
 * the web server and the worker share one process, configured by environment variables only.
 */
final class BenchService implements AutoCloseable {
    static final String PASSWORD = "bench-partner-password";
    static final String SSO_SALT = "bench-sso-salt";
    static final String HEAP = "-Xmx256m";

    private final Process process;
    private final Path log;
    private final int port;

    private BenchService(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the jar in {@code home} and waits until it answers; its output goes to {@code home/service.log}. */
    static BenchService start(Path jar, Path home, Map<String, String> environment) throws IOException, InterruptedException {
        int port = freePort();
        Path log = home.resolve("service.log");
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP));
        // -Dbench.service.options="-XX:StartFlightRecording=..." to profile the service
        command.addAll(Arrays.stream(System.getProperty("bench.service.options", "").split(" ")).filter(o -> !o.isBlank()).toList());
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        var builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(environment);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("AUTOBUS_HOME", home.resolve(".autobus").toString());
        builder.environment().put("AUTOBUS_PASSWORD", PASSWORD);
        builder.environment().put("AUTOBUS_SSO_SALT", SSO_SALT);
        builder.environment().put("AUTOBUS_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        var service = new BenchService(builder.start(), log, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!service.output().contains("Autobus is running on")) {
            if (!service.process.isAlive() || System.nanoTime() > deadline) {
                service.close();
                throw new IllegalStateException("the service did not start:\n" + service.output());
            }
            Thread.sleep(100);
        }
        return service;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resident memory now, in kB ({@code VmRSS}). */
    long residentKb() {
        return status("VmRSS:");
    }

    /** The most resident memory the process has had since it started, in kB ({@code VmHWM}). */
    long peakResidentKb() {
        return status("VmHWM:");
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return 0;
        } catch (IOException e) {
            return 0; // the process ended
        }
    }

    /** Samples the resident memory every 20 ms until closed; {@link #peakKb} is the highest seen. */
    Sampler sampleMemory() {
        return new Sampler(this);
    }

    static final class Sampler implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;

        private Sampler(BenchService service) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(service.residentKb(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long peakKb() {
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
