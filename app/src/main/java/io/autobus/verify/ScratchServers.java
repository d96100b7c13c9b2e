package io.autobus.verify;

import io.autobus.config.Settings;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.Tools;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where verification restores snapshots: PostgreSQL servers by major version, and a MySQL-family
 * server if there is one. Closing stops the embedded ones (and deletes the data restored there).
 */
public final class ScratchServers implements AutoCloseable {
    final PostgresScratchServers postgres;
    final Optional<ScratchServer> mysql;
    /** Where embedded servers keep their data ({@code AUTOBUS_HOME/verify}). */
    final Path root;

    ScratchServers(PostgresScratchServers postgres, Optional<ScratchServer> mysql, Path root) {
        this.postgres = postgres;
        this.mysql = mysql;
        this.root = root;
    }

    /**
     * {@code VERIFY_POSTGRES_URL_<major>} and {@code VERIFY_POSTGRES_URL}, else embedded PostgreSQL servers;
     * {@code VERIFY_MYSQL_URL}, else a private MariaDB of this worker's own if mariadbd is installed, else none.
     */
    public static ScratchServers from(Settings settings, Tools tools, Clock clock) {
        Path root = settings.home().resolve("verify");
        var postgres = new PostgresScratchServers(settings.verifyPostgresUrl(), settings.verifyPostgresUrlsByMajor(), root, clock);
        Optional<ScratchServer> mysql = settings.verifyMysqlUrl().<ScratchServer>map(url -> new MysqlScratch(DatabaseUrl.parse(url)))
                .or(() -> EmbeddedMariadbServer.installed(tools)
                        ? Optional.of(new EmbeddedMysqlScratch(root, tools, EmbeddedMysqlScratch.IDLE))
                        : Optional.empty());
        return new ScratchServers(postgres, mysql, root);
    }

    /** Where a stopped worker may have left scratch databases (embedded PostgreSQL servers start empty). */
    List<ScratchServer> configured() {
        var servers = new ArrayList<>(postgres.configured());
        mysql.ifPresent(servers::add);
        return servers;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } finally {
            if (mysql.orElse(null) instanceof EmbeddedMysqlScratch embedded) {
                embedded.close();
            }
        }
    }
}
