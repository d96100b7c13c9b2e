package io.autobus.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A {@code mariadb} client that answers the version and option checks made before a restore, and
 * then can no longer be started (its interpreter is gone), as when an upgrade removes it midway.
 */
public final class UnstartableClient {
    private UnstartableClient() {
    }

    /** Writes it into {@code dir} (a directory of its own, given to {@code Tools.in}). */
    public static Path in(Path dir) throws IOException {
        Path client = dir.resolve("mariadb");
        Files.writeString(client, """
                #!/bin/sh
                case "$1" in
                  --version) echo "mariadb from 11.8.3-MariaDB, client 15.2 for debian-linux-gnu (x86_64)" ;;
                  --help) echo "--sandbox"; sed -i '1s|.*|#!/nonexistent/interpreter|' "$0" ;;
                esac
                """);
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        return client;
    }
}
