package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.storage.SnapshotStore;
import io.autobus.support.BackupHarness;
import io.autobus.support.InterceptedStore;
import io.autobus.support.SourceDatabases;
import java.io.FilterInputStream;
import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * While a real pg_dump runs, its progress is on the snapshot for the API and the dashboard; when
 * the run ends, however it ends, the progress is gone and nothing reports any more.
 */
class BackupProgressTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final BackupHarness harness = new BackupHarness();

    @Test
    void a_running_dump_s_progress_is_recorded_while_it_runs_and_cleared_when_it_completes() throws Exception {
        var seenWhileRunning = new AtomicReference<Snapshot>();

        Snapshot snapshot = backUpHeldAtFirstRead(seenWhileRunning, false);

        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        Snapshot running = seenWhileRunning.get();
        assertThat(running.status()).isEqualTo(SnapshotStatus.RUNNING);
        assertThat(running.progress()).as("recorded while the dump ran").isNotNull();
        assertThat(running.progress().bytes()).isNotNegative();
        assertThat(running.progress().table()).isIn(null, "public.blobs");
        assertThat(snapshot.progress()).as("a completed snapshot has its size, not a progress").isNull();
        assertThat(reporting(snapshot.id())).isFalse();
    }

    @Test
    void a_run_that_fails_mid_dump_leaves_no_progress_and_nothing_reporting() throws Exception {
        var seenWhileRunning = new AtomicReference<Snapshot>();

        Snapshot snapshot = backUpHeldAtFirstRead(seenWhileRunning, true);

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(seenWhileRunning.get().progress()).isNotNull();
        assertThat(snapshot.progress()).isNull();
        assertThat(reporting(snapshot.id())).isFalse();
    }

    @Test
    void check_snapshot_answers_the_bytes_passed_rising_with_a_percent_a_time_to_go_and_the_table() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", SourceDatabases.incompressiblePostgres("progress_api", 12));
        String token = new io.autobus.api.ApiTokens(harness.app.db).enable(addon, true).orElseThrow();
        var seen = new ArrayList<JsonNode>();

        // At a few points of the upload the store waits until check_snapshot shows more than at the last one: the
        // dump only moves when its stream is read, so each answer is one moment of a dump that is still running.
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> InterceptedStore.onPut(store, content -> new FilterInputStream(content) {
            private long read;
            private long nextLook = 1 << 20;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                read += Math.max(n, 0);
                if (read >= nextLook && seen.size() < 3) { // 1, 4 and 7 MiB: well inside the table's rows
                    nextLook += 3 << 20;
                    harness.app.clock.advance(Duration.ofSeconds(10));
                    long before = seen.isEmpty() ? 0 : seen.getLast().path("bytes").asLong();
                    await().atMost(Duration.ofSeconds(10)).until(() -> check(token, addon).path("progress").path("bytes").asLong() > before);
                    seen.add(check(token, addon).path("progress"));
                }
                return n;
            }
        }));

        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(seen).as("looked at 1, 4 and 7 MiB of the upload").hasSize(3);
        assertThat(seen).allSatisfy(progress -> {
            assertThat(progress.path("table").asText()).isEqualTo("public.blobs");
            assertThat(progress.path("percent").asInt(-1)).isBetween(0, 99);
            assertThat(progress.path("eta_seconds").isNumber()).as("a time to go: %s", progress).isTrue();
        });
        assertThat(seen.stream().map(progress -> progress.path("bytes").asLong()).toList()).isSorted().doesNotHaveDuplicates();
        assertThat(seen.stream().map(progress -> progress.path("percent").asInt()).toList()).isSorted();
        assertThat(check(token, addon).path("progress").isNull()).as("none once completed").isTrue();
    }

    private JsonNode check(String token, UUID addon) throws IOException {
        UUID jid = snapshotOf(addon).jobId();
        var answer = harness.app.http.send("GET", "/api/snapshots/check_snapshot?jid=" + jid + "&token=" + token, null, java.util.Map.of());
        return JSON.readTree(answer.body());
    }

    /** Whether a progress reporter of the snapshot is still alive. */
    static boolean reporting(String snapshotId) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("progress-" + snapshotId) && thread.isAlive());
    }

    /** Backs up a fresh 2 MiB database through {@link #heldAtFirstRead}. */
    private Snapshot backUpHeldAtFirstRead(AtomicReference<Snapshot> seen, boolean breakThen) throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", SourceDatabases.incompressiblePostgres("progress", 2));
        return harness.backup(addon, "DATABASE_URL", heldAtFirstRead(addon, seen, breakThen));
    }

    /**
     * The store, holding the dump's first read until the snapshot shows progress (the dump is
     * still running then: its stream has not been read), keeping what it showed; {@code breakThen}
     * makes the store fail right after, as an S3 outage would.
     */
    private UnaryOperator<SnapshotStore> heldAtFirstRead(UUID addon, AtomicReference<Snapshot> seen, boolean breakThen) {
        return store -> InterceptedStore.onPut(store, content -> new FilterInputStream(content) {
            @Override
            public int read() throws IOException {
                holdOnce();
                return super.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                holdOnce();
                return super.read(buffer, offset, length);
            }

            private void holdOnce() throws IOException {
                if (seen.get() == null) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> snapshotOf(addon).progress() != null);
                    seen.set(snapshotOf(addon));
                    if (breakThen) {
                        throw new IOException("the store went away");
                    }
                }
            }
        });
    }

    private Snapshot snapshotOf(UUID addon) {
        return harness.snapshots.ofAddon(addon).getFirst();
    }
}
