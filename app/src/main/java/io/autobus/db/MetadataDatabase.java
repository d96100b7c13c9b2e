package io.autobus.db;

import io.autobus.dump.DatabaseUrl;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.autobus.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's own PostgreSQL: the one {@code DATABASE_URL} names, or an embedded server kept
 * under {@code AUTOBUS_HOME/postgres} so that a restart keeps everything. Migrated on open.
 */
public final class MetadataDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataDatabase.class);

    private final EmbeddedPostgresServer embedded;
    private final HikariDataSource dataSource;
    private final DSLContext dsl;

    private MetadataDatabase(EmbeddedPostgresServer embedded, HikariDataSource dataSource) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
    }

    public static MetadataDatabase open(Settings settings) {
        EmbeddedPostgresServer embedded = null;
        var config = new HikariConfig();
        if (settings.databaseUrl().isPresent()) {
            var url = DatabaseUrl.parse(settings.databaseUrl().get());
            config.setJdbcUrl(url.postgresJdbcUrl());
            config.setUsername(url.user());
            config.setPassword(url.password());
            LOG.info("event=metadata_database kind=external database={}", url);
        } else {
            embedded = startEmbedded(settings, settings.home().resolve("postgres"));
            config.setJdbcUrl(embedded.jdbcUrl("postgres"));
            config.setUsername("postgres");
            config.setPassword(embedded.password());
            LOG.info("event=metadata_database kind=embedded port={} data={}", embedded.port(),
                    settings.home().resolve("postgres"));
        }
        config.setPoolName("metadata");
        config.setMaximumPoolSize(settings.databasePoolSize());
        // The pool is sized for the worst moment (config/ConnectionBudget); idle, a process keeps two.
        config.setMinimumIdle(2);
        var dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new MetadataDatabase(embedded, dataSource);
    }

    private static EmbeddedPostgresServer startEmbedded(Settings settings, Path directory) {
        try {
            Files.createDirectories(directory.getParent());
            stopLeftoverServer(directory);
            return EmbeddedPostgresServer.start(PostgresBinaries.unpacked(settings.home().resolve("pg")), directory,
                    settings.embeddedDatabasePassword(),
                    // Committed means on disk: a crash of the service must not lose metadata.
                    Map.of("synchronous_commit", "on"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + directory, e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + directory
                    + " (is another Autobus running with the same AUTOBUS_HOME?): " + e.getMessage(), e);
        }
    }

    /**
     * A service that was killed (SIGKILL, OOM) leaves its embedded PostgreSQL running on the data
     * directory, which would refuse a new one: stop it first (its clients are gone, so a smart
     * shutdown is quick).
     */
    public static void stopLeftoverServer(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        } catch (RuntimeException e) {
            return;
        }
        var leftover = ProcessHandle.of(pid).filter(p -> p.info().command().orElse("").endsWith("postgres"));
        if (leftover.isEmpty()) {
            return;
        }
        LOG.warn("event=embedded_postgres_leftover pid={} action=stopping", pid);
        leftover.get().destroy();
        try {
            leftover.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            leftover.get().destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DSLContext dsl() {
        return dsl;
    }

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
