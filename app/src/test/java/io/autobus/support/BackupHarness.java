package io.autobus.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.addon.AddonRepository;
import io.autobus.backup.BackupRunner;
import io.autobus.backup.BackupTargets;
import io.autobus.backup.DatabaseAttacher;
import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.config.Settings;
import io.autobus.crypto.SecretBox;
import io.autobus.dump.Dumpers;
import io.autobus.dump.Tools;
import io.autobus.heroku.HerokuClients;
import io.autobus.heroku.HerokuRetries;
import io.autobus.net.CustomerAddresses;
import io.autobus.net.PrivateNetworks;
import io.autobus.notify.Notifier;
import io.autobus.restore.RestoreRepository;
import io.autobus.restore.RestoreRunner;
import io.autobus.storage.S3SnapshotStore;
import io.autobus.storage.UploadMemory;
import io.autobus.storage.SnapshotStore;
import io.autobus.storage.SnapshotStores;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Backups run synchronously against the shared test app's metadata store, real databases and a
 * real S3-compatible server (S3Proxy): two buckets, one per continent.
 */
public final class BackupHarness {
    public final TestApp app = TestApp.shared();
    public final S3ProxyServer s3 = S3ProxyServer.shared();
    public final String bucketUs = s3.createBucket("autobus-us");
    public final String bucketEu = s3.createBucket("autobus-eu");
    public final UploadMemory uploadMemory = UploadMemory.ofMegabytes(s3.settings(bucketUs, bucketEu).uploadMemoryMb());
    public final S3SnapshotStore us = S3SnapshotStore.create(s3.settings(bucketUs, bucketEu), bucketUs, "us-east-1", uploadMemory);
    public final S3SnapshotStore eu = S3SnapshotStore.create(s3.settings(bucketUs, bucketEu), bucketEu, "eu-west-1", uploadMemory);
    public final SnapshotStores stores = SnapshotStores.crossContinental(us, eu);
    public final AddonRepository addons = new AddonRepository(app.db);
    public final SnapshotRepository snapshots = new SnapshotRepository(app.db);
    public final RestoreRepository restores = new RestoreRepository(app.db);
    private final SecretBox secrets = new SecretBox(TestApp.SECRET_KEY);
    private final PrivateNetworks privateNetworks;
    private final CustomerAddresses addresses;
    private final HerokuRetries.Limits herokuRetries;

    /** As the test app is configured: private networks allowed, off a dyno. */
    public BackupHarness() {
        this(TestApp.shared().settings.privateNetworks());
    }

    /** Attaches and backs up under this {@code AUTOBUS_PRIVATE_NETWORKS}. */
    public BackupHarness(PrivateNetworks privateNetworks) {
        this(privateNetworks, HerokuRetries.Limits.DEFAULT);
    }

    /** Backs up trying Heroku again within these limits (waits of milliseconds, say). */
    public BackupHarness(HerokuRetries.Limits herokuRetries) {
        this(TestApp.shared().settings.privateNetworks(), herokuRetries);
    }

    private BackupHarness(PrivateNetworks privateNetworks, HerokuRetries.Limits herokuRetries) {
        this.privateNetworks = privateNetworks;
        this.addresses = new CustomerAddresses(privateNetworks);
        this.herokuRetries = herokuRetries;
    }

    /** A freshly provisioned add-on of an app in the US, whose scheduled runs are far away. */
    public UUID provisionedAddon() {
        return app.provisionedAddon("travel");
    }

    public void attach(UUID addonId, String name, String url) {
        app.attacher(privateNetworks).attach(addonId, name, url, false);
    }

    /** A database attached when it answered, that fails now ({@link TestApp#attachedEarlier}). */
    public void attachedEarlier(UUID addonId, String name, String url) {
        app.attachedEarlier(addonId, name, url);
    }

    /** Points an attached name at another URL, as "Replace" does. */
    public void reattach(UUID addonId, String name, String url) {
        app.attacher(privateNetworks).attach(addonId, name, url, true);
    }

    /** Takes a manual snapshot now, in this thread, and returns it as recorded. */
    public Snapshot backup(UUID addonId, String configVar) {
        return backup(addonId, configVar, UnaryOperator.identity());
    }

    /** The same, with the store seen through {@code storeView} (to break it on purpose). */
    public Snapshot backup(UUID addonId, String configVar, UnaryOperator<SnapshotStore> storeView) {
        return backup(addonId, configVar, storeView, BackupRunner.Outcomes.NONE);
    }

    /** The same, reporting to {@code outcomes} as the service does (verification, notifications). */
    public Snapshot backup(UUID addonId, String configVar, UnaryOperator<SnapshotStore> storeView, BackupRunner.Outcomes outcomes) {
        String engine = addons.databaseEntry(addonId, configVar).orElseThrow().database().engine();
        String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addonId, configVar, engine,
                SnapshotKind.MANUAL, "test", null, UUID.randomUUID(), app.clock.instant()));
        var viewed = SnapshotStores.crossContinental(storeView.apply(us), storeView.apply(eu));
        runner(viewed, outcomes).run(id);
        return snapshots.find(id).orElseThrow();
    }

    /** Takes a manual snapshot now under other limits (a short time limit, say). */
    public Snapshot backup(UUID addonId, String configVar, Settings.JobLimits limits) {
        String engine = addons.databaseEntry(addonId, configVar).orElseThrow().database().engine();
        String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addonId, configVar, engine,
                SnapshotKind.MANUAL, "test", null, UUID.randomUUID(), app.clock.instant()));
        runner(stores, BackupRunner.Outcomes.NONE, limits).run(id);
        return snapshots.find(id).orElseThrow();
    }

    /** Runs an existing snapshot again, as JobRunr does with the job of a worker that died. */
    public Snapshot rerun(String snapshotId) {
        return rerun(snapshotId, BackupRunner.Outcomes.NONE);
    }

    /** The same, with what happens beside and after the run (verification). */
    public Snapshot rerun(String snapshotId, BackupRunner.Outcomes outcomes) {
        runner(stores, outcomes).run(snapshotId);
        return snapshots.find(snapshotId).orElseThrow();
    }

    private BackupRunner runner(SnapshotStores viewed, BackupRunner.Outcomes outcomes) {
        return runner(viewed, outcomes, app.settings.jobLimits());
    }

    private BackupRunner runner(SnapshotStores viewed, BackupRunner.Outcomes outcomes, Settings.JobLimits limits) {
        return new BackupRunner(snapshots, addons, targets(), Dumpers.of(Tools.installed(toolRoot()), 2, 1), viewed, new DatabaseLocks(metadataDataSource()),
                outcomes, limits, app.clock);
    }

    /** Restores as the service runs them, with these client tools and the store seen through {@code storeView}. */
    public RestoreRunner restoreRunner(Tools tools, UnaryOperator<SnapshotStore> storeView) {
        var viewed = SnapshotStores.crossContinental(storeView.apply(us), storeView.apply(eu));
        return new RestoreRunner(restores, snapshots, addons, targets(), runner(viewed, BackupRunner.Outcomes.NONE), viewed,
                new DatabaseLocks(metadataDataSource()), tools,
                new Notifier(app.db, app.scheduler(), false, app.clock),
                app.settings.jobLimits(), app.clock);
    }

    private BackupTargets targets() {
        return new BackupTargets(addons,
                HerokuClients.create(app.settings, new ObjectMapper(), herokuRetries).platform(), app.settings.herokuApiKey(), secrets, addresses);
    }

    /** Where dumps and restores get their private directories: the test app's AUTOBUS_HOME/tmp. */
    public java.nio.file.Path toolRoot() {
        return app.settings.home().resolve("tmp");
    }

    private DataSource metadataDataSource() {
        var ds = new PGSimpleDataSource();
        ds.setUrl(app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        return ds;
    }
}
