package io.autobus.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What app.json declares for the dynos: tests and benchmarks run the jar with it, as Heroku would. */
public final class AppJson {
    private static final Path FILE = Path.of("app.json");

    private AppJson() {
    }

    /** JAVA_OPTS, split into the JVM's arguments. */
    public static List<String> javaOptions() {
        return Arrays.asList(value("JAVA_OPTS").orElseThrow().trim().split("\\s+"));
    }

    /** The value app.json gives a config var, if it gives one. */
    public static Optional<String> value(String variable) {
        try {
            var value = new ObjectMapper().readTree(appJson().toFile()).path("env").path(variable).path("value");
            return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From the repository root (benchmarks) or the app module (Maven's tests). */
    private static Path appJson() {
        return FILE.toFile().exists() ? FILE : Path.of("..", "app.json");
    }
}
