package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobus.addon.AddonDeprovisioner;
import io.autobus.support.AgeIdentity;
import io.autobus.support.BackupHarness;
import io.autobus.support.TestDatabase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A file stored by a run whose end could not be recorded (the metadata store failed right after
 * the upload) is never lost track of: the sweep deletes it, and so does deprovision.
 */
class LeftoverObjectsTest {
    private final BackupHarness harness = new BackupHarness();
    private final UUID addon = harness.provisionedAddon();
    private final String refusal = "refuse_" + addon.toString().replace("-", "");
    private final Duration backupTimeout = harness.app.settings.jobLimits().backupTimeout();

    @AfterEach
    void acceptUpdatesAgain() {
        harness.app.db.execute("DROP TRIGGER IF EXISTS " + refusal + " ON snapshot");
        harness.app.db.execute("DROP FUNCTION IF EXISTS " + refusal + "()");
    }

    @Test
    void a_stored_file_whose_completion_could_not_be_recorded_is_deleted_by_the_sweep() throws IOException {
        Snapshot failed = storedButNotCompleted();

        int swept = sweeper(harness.app.clock).sweep();

        assertThat(swept).isPositive();
        assertThat(stored(failed)).as("the object is deleted").isFalse();
        assertThat(harness.snapshots.find(failed.id()).orElseThrow().storageKey()).as("and no longer recorded").isNull();
    }

    @Test
    void a_stored_file_whose_completion_could_not_be_recorded_is_deleted_at_deprovision() throws IOException {
        Snapshot failed = storedButNotCompleted();
        var deprovisioner = new AddonDeprovisioner(harness.addons, new SnapshotObjectsRemover(harness.snapshots, harness.stores),
                removed -> { }, harness.app.clock);

        var outcome = deprovisioner.deprovision(addon);

        assertThat(outcome).isEqualTo(AddonDeprovisioner.Outcome.REMOVED);
        assertThat(stored(failed)).isFalse();
    }

    @Test
    void a_run_left_running_with_its_file_stored_is_swept_once_it_has_outlived_the_backup_time_limit() throws IOException {
        harness.attach(addon, "DATABASE", TestDatabase.create("leftover"));
        refuseUpdatesTo("'completed', 'failed'"); // neither the completion nor the failure can be recorded: the worker gives up
        assertThatThrownBy(() -> harness.backup(addon, "DATABASE_URL")).hasMessageContaining("the metadata store went away");
        Snapshot running = harness.snapshots.ofAddon(addon).getFirst();
        assertThat(running.status()).isEqualTo(SnapshotStatus.RUNNING);
        assertThat(stored(running)).isTrue();

        sweeper(harness.app.clock).sweep();
        assertThat(stored(running)).as("a run within its time limit may still be recording its end").isTrue();

        sweeper(Clock.offset(harness.app.clock, backupTimeout.plus(ManualSnapshots.FAILING_TAKES_AT_MOST).plusMinutes(1))).sweep();
        assertThat(stored(running)).as("a run past its time limit is dead: its file is deleted").isFalse();
    }

    @Test
    void a_run_taken_again_under_another_key_deletes_the_file_the_dead_run_stored() throws Exception {
        harness.attach(addon, "DATABASE", TestDatabase.create("leftover"));
        refuseUpdatesTo("'completed', 'failed'");
        assertThatThrownBy(() -> harness.backup(addon, "DATABASE_URL")).hasMessageContaining("the metadata store went away");
        Snapshot dead = harness.snapshots.ofAddon(addon).getFirst();
        acceptUpdatesAgain();
        harness.addons.setEncryptionRecipient(addon, AgeIdentity.generate(harness.toolRoot()).recipient().text());

        Snapshot retaken = harness.rerun(dead.id());

        assertThat(retaken.status()).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(retaken.storageKey()).isEqualTo(dead.storageKey() + ".age");
        assertThat(stored(retaken)).isTrue();
        assertThat(stored(dead)).as("the unencrypted file the dead run stored").isFalse();
    }

    /** A backup whose upload succeeded and whose completion the metadata store refused. */
    private Snapshot storedButNotCompleted() throws IOException {
        harness.attach(addon, "DATABASE", TestDatabase.create("leftover"));
        refuseUpdatesTo("'completed'");

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).contains("the metadata store went away");
        assertThat(snapshot.storageKey()).isEqualTo(SnapshotKeys.objectKey(addon, "DATABASE_URL", snapshot.id(), "postgresql"));
        assertThat(stored(snapshot)).as("the upload itself succeeded").isTrue();
        return snapshot;
    }

    /** The metadata store fails every update that sets one of this add-on's snapshots to one of {@code statuses}. */
    private void refuseUpdatesTo(String statuses) {
        harness.app.db.execute("CREATE FUNCTION " + refusal + "() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'the metadata store went away'; END $$");
        harness.app.db.execute("CREATE TRIGGER " + refusal + " BEFORE UPDATE ON snapshot FOR EACH ROW WHEN (NEW.addon_id = '"
                + addon + "' AND NEW.status IN (" + statuses + ")) EXECUTE FUNCTION " + refusal + "()");
    }

    private boolean stored(Snapshot snapshot) throws IOException {
        return harness.stores.byRegion(snapshot.storageRegion()).exists(snapshot.storageKey());
    }

    private LeftoverObjectsSweeper sweeper(Clock clock) {
        return new LeftoverObjectsSweeper(harness.snapshots, harness.stores, backupTimeout, clock);
    }
}
