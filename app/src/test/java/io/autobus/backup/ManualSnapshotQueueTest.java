package io.autobus.backup;

import static io.autobus.db.generated.Tables.SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.api.ApiTokens;
import io.autobus.support.DashboardSession;
import io.autobus.support.Tarpit;
import io.autobus.support.TestApp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Manual snapshots are bounded: asking again for a database whose snapshot is still pending or
 * running (or the same request moments later) answers with that snapshot; only databases the plan
 * covers are snapshotted; a plan's cap on held manual snapshots refuses one more, naming the oldest.
 * The databases are tarpits (they accept and never answer), so a snapshot stays "running" for
 * the whole test, as a long dump would.
 */
class ManualSnapshotQueueTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestApp app = TestApp.shared();
    private final Tarpit tarpit = new Tarpit();

    @AfterEach
    void close() throws IOException {
        tarpit.close();
    }

    @Test
    void thirty_requests_in_a_row_for_one_database_queue_one_snapshot_and_all_answer_with_its_jid() throws Exception {
        UUID addon = addon("travel", "DATABASE");
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();

        var answers = new ArrayList<JsonNode>();
        for (int i = 0; i < 30; i++) {
            var response = app.http.send("POST", "/api/snapshots?token=" + token, "{\"database\": \"DATABASE_URL\"}", Map.of());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            answers.add(JSON.readTree(response.body()));
        }

        String jid = answers.getFirst().path("jid").asText();
        String snapshotId = answers.getFirst().path("snapshot_id").asText();
        assertThat(answers).extracting(a -> a.path("jid").asText()).containsOnly(jid);
        assertThat(answers).extracting(a -> a.path("snapshot_id").asText()).containsOnly(snapshotId);
        assertThat(answers.getFirst().path("message").asText()).isEqualTo("Snapshot is in progress, it may take awhile");
        assertThat(answers.subList(1, 30)).extracting(a -> a.path("message").asText())
                .containsOnly("A snapshot of DATABASE_URL is already in progress, so no other was queued; this is that one");
        assertOneSnapshotAndOneJob(addon, snapshotId);
    }

    @Test
    void thirty_concurrent_requests_for_one_database_queue_one_snapshot_and_all_answer_with_its_jid() throws Exception {
        UUID addon = addon("travel", "DATABASE");
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();

        var start = new CountDownLatch(1);
        var answers = new ArrayList<Future<HttpResponse<String>>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 30; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return app.http.send("POST", "/api/snapshots?token=" + token, null, Map.of());
                }));
            }
            start.countDown();
        }

        var jids = new ArrayList<String>();
        var snapshotIds = new ArrayList<String>();
        for (var answer : answers) {
            assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(202);
            jids.add(JSON.readTree(answer.get().body()).path("jid").asText());
            snapshotIds.add(JSON.readTree(answer.get().body()).path("snapshot_id").asText());
        }
        assertThat(jids).hasSize(30).containsOnly(jids.getFirst());
        assertThat(snapshotIds).containsOnly(snapshotIds.getFirst());
        assertOneSnapshotAndOneJob(addon, snapshotIds.getFirst());
    }

    @Test
    void back_up_now_pressed_twice_on_the_dashboard_queues_one_snapshot_and_says_so() {
        UUID addon = addon("travel", "DATABASE");
        var browser = DashboardSession.open(app.http, addon, app.clock.instant(), TestApp.SSO_SALT, "app-" + addon);

        var first = browser.post("/dashboard/snapshots", Map.of("database", "DATABASE_URL", "description", "first"));
        var second = browser.post("/dashboard/snapshots", Map.of("database", "DATABASE_URL", "description", "second"));

        assertThat(browser.follow(first).body()).contains("Snapshot of DATABASE_URL queued");
        assertThat(browser.follow(second).body()).contains("A snapshot of DATABASE_URL is already in progress, so no other was queued");
        assertThat(app.db.fetch(SNAPSHOT, SNAPSHOT.ADDON_ID.eq(addon))).singleElement()
                .satisfies(row -> assertThat(row.getDescription()).isEqualTo("first"));
    }

    @Test
    void a_free_addon_snapshots_the_database_its_plan_covers_and_is_told_which_plan_covers_the_others() throws Exception {
        UUID addon = addon("free", "DATABASE", "STAGING");
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();

        var first = app.http.send("POST", "/api/snapshots?token=" + token, "{\"database\": \"DATABASE_URL\"}", Map.of());
        var staging = app.http.send("POST", "/api/snapshots?token=" + token, "{\"database\": \"STAGING_URL\"}", Map.of());
        var browser = DashboardSession.open(app.http, addon, app.clock.instant(), TestApp.SSO_SALT, "app-" + addon);
        var fromDashboard = browser.post("/dashboard/snapshots", Map.of("database", "STAGING_URL"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(staging.statusCode()).as(staging.body()).isEqualTo(422);
        assertThat(JSON.readTree(staging.body()).path("message").asText()).isEqualTo(
                "STAGING_URL is not covered by your plan: the free plan backs up 1 database (DATABASE_URL)."
                        + " Upgrade to travel (5 databases) to back it up: heroku addons:upgrade autobus:travel.");
        assertThat(fromDashboard.statusCode()).isEqualTo(422);
        assertThat(fromDashboard.body()).contains("STAGING_URL is not covered by your plan");
        assertThat(app.db.fetch(SNAPSHOT, SNAPSHOT.ADDON_ID.eq(addon))).extracting(r -> r.getConfigVar()).containsExactly("DATABASE_URL");
    }

    @Test
    void beyond_the_free_plans_five_manual_snapshots_a_new_one_is_refused_naming_the_oldest_to_delete() throws Exception {
        UUID addon = addon("free", "DATABASE");
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();
        var snapshots = new SnapshotRepository(app.db);
        var held = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon, "DATABASE_URL",
                    "postgresql", SnapshotKind.MANUAL, i == 0 ? "before the big migration" : "deploy " + i, null, UUID.randomUUID(),
                    app.clock.instant().minus(Duration.ofDays(10 - i))));
            snapshots.complete(id, new SnapshotRepository.Completion("15.4", 3, "x", "local", "key-" + id, null, null),
                    app.clock.instant(), app.clock.instant());
            held.add(id);
        }

        var refused = app.http.send("POST", "/api/snapshots?token=" + token, "{\"description\": \"one more\"}", Map.of());
        var browser = DashboardSession.open(app.http, addon, app.clock.instant(), TestApp.SSO_SALT, "app-" + addon);
        var fromDashboard = browser.post("/dashboard/snapshots", Map.of("database", "DATABASE_URL", "description", "one more"));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        String message = JSON.readTree(refused.body()).path("message").asText();
        assertThat(message).startsWith("The free plan keeps up to 5 manual snapshots and this add-on has 5, so no other was taken."
                + " Delete one to take another; the oldest: " + held.getFirst() + " (DATABASE_URL, ")
                .contains("\"before the big migration\"")
                .endsWith("Or upgrade to travel (unlimited manual snapshots): heroku addons:upgrade autobus:travel.");
        assertThat(fromDashboard.statusCode()).as("refused beside the form, the description kept").isEqualTo(422);
        assertThat(fromDashboard.body()).contains("Delete one to take another").contains(held.getFirst());
        assertThat(app.db.fetch(SNAPSHOT, SNAPSHOT.ADDON_ID.eq(addon))).extracting(r -> r.getId()).containsExactlyInAnyOrderElementsOf(held);

        var deleted = app.http.send("DELETE", "/api/snapshots/" + held.getFirst() + "?token=" + token, null, Map.of());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(app.http.send("POST", "/api/snapshots?token=" + token, "{\"description\": \"one more\"}", Map.of()).statusCode())
                .as("once one is deleted").isEqualTo(202);
    }

    @Test
    void the_same_request_repeated_moments_after_its_snapshot_finished_answers_with_that_snapshot() throws Exception {
        UUID addon = app.provisionedAddon("travel");
        // Fails at once (nothing listens there), so the first snapshot has ended when the request comes again.
        app.attachedEarlier(addon, "DATABASE", "postgres://postgres@127.0.0.1:" + io.autobus.support.LoopbackPort.closedPort() + "/gone");
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();
        var first = JSON.readTree(app.http.send("POST", "/api/snapshots?token=" + token, "{\"description\": \"nightly export\"}",
                Map.of()).body());
        String firstId = first.path("snapshot_id").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> "failed".equals(app.db.fetchValue(SNAPSHOT.STATUS, SNAPSHOT.ID.eq(firstId))));

        var repeated = app.http.send("POST", "/api/snapshots?token=" + token, "{\"description\": \"nightly export\"}", Map.of());
        var other = app.http.send("POST", "/api/snapshots?token=" + token, "{\"description\": \"another\"}", Map.of());

        assertThat(JSON.readTree(repeated.body()).path("snapshot_id").asText()).isEqualTo(firstId);
        assertThat(JSON.readTree(repeated.body()).path("message").asText())
                .isEqualTo("The same snapshot of DATABASE_URL was asked for moments ago, so no other was taken; this is that one");
        assertThat(JSON.readTree(other.body()).path("snapshot_id").asText()).as("a different request is a new snapshot")
                .isNotEqualTo(firstId);
        app.clock.advance(ManualSnapshots.REPEATED_WITHIN.plusSeconds(1));
        var later = app.http.send("POST", "/api/snapshots?token=" + token, "{\"description\": \"nightly export\"}", Map.of());
        assertThat(JSON.readTree(later.body()).path("snapshot_id").asText()).as("asked again later: a new snapshot").isNotEqualTo(firstId);
    }

    @Test
    void asking_again_later_for_a_snapshot_still_waiting_enqueues_its_own_job_again_which_jobrunr_already_has() throws Exception {
        UUID addon = addon("travel", "DATABASE", "STAGING");
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();
        var first = JSON.readTree(app.http.send("POST", "/api/snapshots?token=" + token, "{\"database\": \"DATABASE_URL\"}", Map.of()).body());
        // Running (stuck on the tarpit) before the second is asked for: otherwise a worker may pick the second first.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(
                app.db.fetchValue(SNAPSHOT.STATUS, SNAPSHOT.ID.eq(first.path("snapshot_id").asText()))));
        // One backup of an add-on at a time: this one waits while DATABASE_URL's runs.
        var waiting = JSON.readTree(app.http.send("POST", "/api/snapshots?token=" + token, "{\"database\": \"STAGING_URL\"}", Map.of()).body());
        app.clock.advance(Duration.ofMinutes(2));

        var again = app.http.send("POST", "/api/snapshots?token=" + token, "{\"database\": \"STAGING_URL\"}", Map.of());

        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).path("jid").asText()).isEqualTo(waiting.path("jid").asText());
        assertThat(app.db.fetchValue("select count(*) from jobrunr_jobs where id = ?", waiting.path("jid").asText())).isEqualTo(1L);
        assertThat(app.db.fetchValue(SNAPSHOT.STATUS, SNAPSHOT.ID.eq(waiting.path("snapshot_id").asText()))).isEqualTo("pending");
    }

    private void assertOneSnapshotAndOneJob(UUID addon, String snapshotId) {
        assertThat(app.db.fetch(SNAPSHOT, SNAPSHOT.ADDON_ID.eq(addon))).extracting(r -> r.getId()).containsExactly(snapshotId);
        assertThat(app.db.fetchValue("select count(*) from jobrunr_jobs where jobAsJson like ?", "%" + snapshotId + "%"))
                .as("jobs of that snapshot").isEqualTo(1L);
    }

    /** A provisioned add-on whose databases are the tarpit; its scheduled runs are far away. */
    private UUID addon(String plan, String... databases) {
        UUID id = app.provisionedAddon(plan);
        for (String database : databases) {
            app.attachedEarlier(id, database, "postgres://u:p@127.0.0.1:" + tarpit.port() + "/" + database.toLowerCase());
        }
        return id;
    }
}
