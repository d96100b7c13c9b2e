package io.autobus.storage;

import java.nio.file.Path;

/** Where a key lives under the local store's directory; keys can never point outside it. */
final class LocalPaths {
    private final Path root;

    LocalPaths(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path of(String key) {
        if (key == null || key.isBlank() || key.startsWith("/") || key.startsWith("\\") || key.contains("..")
                || Path.of(key).isAbsolute()) {
            throw new IllegalArgumentException("a snapshot key must be a relative path without '..', got '" + key + "'");
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("the snapshot key '" + key + "' points outside " + root);
        }
        return path;
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
