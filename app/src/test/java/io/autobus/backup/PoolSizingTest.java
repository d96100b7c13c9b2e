package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.autobus.config.ConnectionBudget;
import io.autobus.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pool {@link ConnectionBudget} asks for, tried with real advisory locks: every worker thread
 * running the job that holds the most (a backup verified in flight),
 * beside the worker bell and JobRunr, still leaves each job a connection for its queries at once.
 * One pool smaller than the locks alone, and a job's query waits out the pool's timeout.
 */
class PoolSizingTest {
    private static final int WORKER_THREADS = 2;
    private final String url = "jdbc:postgresql://127.0.0.1:5432/" + TestDatabase.create("pool_sizing").replaceAll(".*/", "");

    @Test
    void with_the_pool_the_budget_asks_for_every_job_queries_while_all_hold_their_most_locks() throws Exception {
        try (var pool = pool(ConnectionBudget.needed(WORKER_THREADS)); var held = new Held(pool)) {
            held.processAndJobs(WORKER_THREADS);

            var queries = new ArrayList<CompletableFuture<Integer>>();
            for (int job = 0; job < WORKER_THREADS; job++) {
                queries.add(CompletableFuture.supplyAsync(() -> query(pool)));
            }
            for (var query : queries) {
                assertThat(query.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            }
        }
    }

    @Test
    void a_pool_only_as_large_as_the_locks_leaves_the_jobs_no_connection_to_finish_with() throws Exception {
        try (var pool = pool(2 + WORKER_THREADS * 2); var held = new Held(pool)) {
            held.processAndJobs(WORKER_THREADS);

            assertThatThrownBy(() -> query(pool)).hasRootCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("Connection is not available");
        }
    }

    private HikariDataSource pool(int size) {
        var config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(1_000);
        return new HikariDataSource(config);
    }

    private static int query(HikariDataSource pool) {
        try (Connection connection = pool.getConnection(); var rows = connection.createStatement().executeQuery("SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a worker holds at its busiest, released at the end. */
    private static final class Held implements AutoCloseable {
        private final HikariDataSource pool;
        private final DatabaseLocks locks;
        private final List<AutoCloseable> all = new ArrayList<>();

        Held(HikariDataSource pool) {
            this.pool = pool;
            this.locks = new DatabaseLocks(pool);
        }

        void processAndJobs(int jobs) throws SQLException {
            all.add(pool.getConnection()); // the worker bell's LISTEN
            all.add(pool.getConnection()); // JobRunr polling
            for (int job = 0; job < jobs; job++) {
                UUID addon = UUID.randomUUID();
                all.add(locks.tryLock(addon, "DATABASE_URL", 1).orElseThrow());
                all.add(locks.tryLockInSlot("verifications:" + addon, 1, "verify:" + addon).orElseThrow()); // verified in flight
            }
        }

        @Override
        public void close() throws Exception {
            for (var each : all) {
                each.close();
            }
        }
    }
}
