package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.support.DashboardSession;
import io.autobus.support.SourceDatabases;
import io.autobus.support.Tarpit;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One customer cannot stall everyone: six customer databases behind a tarpit (a host that
 * accepts connections and never answers, never closes) hold no worker for long, while another
 * customer's backup goes through. The whole service, with its JobRunr workers
 * (AUTOBUS_WORKER_THREADS 4, one backup per add-on at a time).
 */
class TarpitDatabasesTest {
    private final TestApp app = TestApp.withEnvironment(Map.of("AUTOBUS_BACKUP_TIMEOUT", "20s"));
    private final SnapshotRepository snapshots = new SnapshotRepository(app.db);
    private final Tarpit tarpit = new Tarpit();
    private final Map<UUID, DashboardSession> sessions = new java.util.HashMap<>();

    @AfterEach
    void close() throws IOException {
        tarpit.close();
    }

    @Test
    void six_databases_that_never_answer_do_not_hold_up_another_customer_s_backup_and_fail_on_time() throws Exception {
        // Three add-ons: one with three tarpit databases, one with two, one with one; both engines.
        UUID manyDatabases = addon();
        UUID twoDatabases = addon();
        UUID oneDatabase = addon();
        attach(manyDatabases, "PG_ONE", "postgres://u:p@127.0.0.1:" + tarpit.port() + "/shop");
        attach(manyDatabases, "PG_TWO", "postgres://u:p@127.0.0.1:" + tarpit.port() + "/blog");
        attach(manyDatabases, "JAWSDB", "mysql://u:p@127.0.0.1:" + tarpit.port() + "/legacy");
        attach(twoDatabases, "DATABASE", "postgres://u:p@127.0.0.1:" + tarpit.port() + "/app");
        attach(twoDatabases, "CLEARDB", "mysql://u:p@127.0.0.1:" + tarpit.port() + "/app");
        attach(oneDatabase, "JAWSDB_MARIA", "mariadb://u:p@127.0.0.1:" + tarpit.port() + "/app");
        UUID customer = addon();
        String source = TestDatabase.create("innocent");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY)");
            statement.execute("INSERT INTO orders SELECT generate_series(1, 1000)");
        }
        attach(customer, "DATABASE", source);
        var tarpitted = Map.of(manyDatabases, List.of("PG_ONE_URL", "PG_TWO_URL", "JAWSDB_URL"),
                twoDatabases, List.of("DATABASE_URL", "CLEARDB_URL"), oneDatabase, List.of("JAWSDB_MARIA_URL"));

        long started = System.nanoTime();
        tarpitted.forEach((addon, databases) -> databases.forEach(database -> backUpNow(addon, database)));
        await().atMost(Duration.ofSeconds(10)).until(() -> tarpit.connections() >= 3); // the tarpits hold workers now
        backUpNow(customer, "DATABASE_URL");

        // Three add-ons hold at most three of the four workers: the fourth takes the customer's backup
        // at once (the worker bell), well before any tarpit gives up (15 s).
        await().atMost(Duration.ofSeconds(12)).until(() -> finished(customer));
        assertThat(snapshots.ofAddon(customer).getFirst().status()).isEqualTo(SnapshotStatus.COMPLETED);
        // Each tarpit fails within its connect timeout (15 s); one add-on's three run one after the
        // other, each postponed 10 s while the slot is taken: all done within 3 x (15 + 10) s, plus polls.
        await().atMost(Duration.ofSeconds(100)).until(() -> tarpitted.keySet().stream().allMatch(this::finished));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        var failed = tarpitted.keySet().stream().flatMap(addon -> snapshots.ofAddon(addon).stream()).toList();
        assertThat(failed).hasSize(6).allSatisfy(snapshot -> {
            assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
            assertThat(snapshot.error()).as(snapshot.configVar()).containsIgnoringCase("timed out");
        });
        System.out.println("event=tarpit_test took_s=" + took.toSeconds());
    }

    private UUID addon() {
        return app.provisionedAddon("travel");
    }

    private void attach(UUID addon, String name, String url) {
        app.attachedEarlier(addon, name, url);
    }

    private void backUpNow(UUID addon, String database) {
        // One sign-on per add-on: SSO tokens are single use.
        var browser = sessions.computeIfAbsent(addon, id -> DashboardSession.open(app.http, id, app.clock.instant(), TestApp.SSO_SALT, "app-" + id));
        assertThat(browser.post("/dashboard/snapshots", Map.of("database", database)).statusCode()).isEqualTo(302);
    }

    private boolean finished(UUID addon) {
        return snapshots.ofAddon(addon).stream().allMatch(s -> s.status() == SnapshotStatus.COMPLETED || s.status() == SnapshotStatus.FAILED);
    }
}
