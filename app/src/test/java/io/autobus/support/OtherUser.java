package io.autobus.support;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command as another local user ({@code nobody}), as an attacker sharing the machine would. */
public final class OtherUser {
    private OtherUser() {
    }

    /** Runs the command as nobody (needs root: CI and this project's machines run the tests as root). */
    public static SourceDatabases.Ran run(List<String> command, Map<String, String> environment) {
        assumeThat(new com.sun.security.auth.module.UnixSystem().getUid()).as("switching users needs root").isZero();
        var full = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        full.addAll(command);
        var builder = new ProcessBuilder(full).redirectErrorStream(true).directory(new java.io.File("/"));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(environment);
        try {
            var process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new SourceDatabases.Ran(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
