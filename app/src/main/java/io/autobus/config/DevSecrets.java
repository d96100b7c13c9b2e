package io.autobus.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * Secrets for a machine with no configuration: generated on first use and kept in a file
 * readable only by its owner, so that a restart keeps the same credentials and can still
 * decrypt what it stored.
 */
final class DevSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path file;

    DevSecrets(Path file) {
        this.file = file;
    }

    synchronized String get(String name) {
        var properties = load();
        String value = properties.getProperty(name);
        if (value == null) {
            value = generate(name);
            properties.setProperty(name, value);
            save(properties);
        }
        return value;
    }

    private static String generate(String name) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Settings.SECRET_KEY.equals(name)
                ? Base64.getEncoder().encodeToString(bytes)
                : Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private Properties load() {
        var properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return properties;
    }

    private void save(Properties properties) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (Writer writer = Files.newBufferedWriter(file)) {
                properties.store(writer, "Autobus development secrets, generated because the environment does not set them");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
