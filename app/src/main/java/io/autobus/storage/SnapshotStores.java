package io.autobus.storage;

import io.autobus.config.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses where an add-on's snapshots go: on the other continent than its app, so that losing a
 * region never takes the database and its backups together. With the single local store of the
 * embedded setup, every app gets that store.
 */
public final class SnapshotStores implements AutoCloseable {
    /** Private Spaces regions in Europe (the Common Runtime's is "eu", AWS's are "eu-*"). */
    private static final Set<String> EUROPEAN_PRIVATE_SPACES = Set.of("dublin", "frankfurt", "london");
    private static final String SIGNING_LABEL = "autobus local download links v1";

    private final SnapshotStore forEuropeanApps;
    private final SnapshotStore forOtherApps;
    private final Optional<LocalDownloads> localDownloads;

    private SnapshotStores(SnapshotStore forEuropeanApps, SnapshotStore forOtherApps, Optional<LocalDownloads> localDownloads) {
        this.forEuropeanApps = forEuropeanApps;
        this.forOtherApps = forOtherApps;
        this.localDownloads = localDownloads;
    }

    /** Snapshots of European apps go to {@code us}, of all others to {@code eu}. */
    public static SnapshotStores crossContinental(SnapshotStore us, SnapshotStore eu) {
        if (us.region().equals(eu.region())) {
            // Each snapshot records its store by region, so the two must differ to be found again.
            throw new IllegalArgumentException("the US and EU stores must be in different regions, both are in " + us.region());
        }
        return new SnapshotStores(us, eu, Optional.empty());
    }

    /** One local store for every app, with the handler that serves its download links. */
    public static SnapshotStores local(LocalSnapshotStore store, LocalDownloads downloads) {
        return new SnapshotStores(store, store, Optional.of(downloads));
    }

    /** The two S3 buckets when configured, otherwise the local directory store. */
    public static SnapshotStores from(Settings settings, Clock clock) {
        if (settings.s3().isPresent()) {
            var s3 = settings.s3().get();
            var memory = UploadMemory.ofMegabytes(s3.uploadMemoryMb()); // one budget for both buckets' uploads
            return crossContinental(S3SnapshotStore.create(s3, s3.bucketUs(), s3.regionUs(), memory),
                    S3SnapshotStore.create(s3, s3.bucketEu(), s3.regionEu(), memory));
        }
        byte[] signingKey = signingKey(settings.secretKey());
        return local(new LocalSnapshotStore(settings.storageDir(), settings.publicUrl(), signingKey, clock),
                new LocalDownloads(settings.storageDir(), signingKey, clock));
    }

    /** The store for a new snapshot of an app in {@code herokuRegion} ("us", "eu", "amazon-web-services::eu-west-1", "tokyo"...). */
    public SnapshotStore forAppRegion(String herokuRegion) {
        return inEurope(herokuRegion) ? forEuropeanApps : forOtherApps;
    }

    /** The store a snapshot was recorded in (its {@link SnapshotStore#region()}), to download or delete it. */
    public SnapshotStore byRegion(String region) {
        for (var store : List.of(forEuropeanApps, forOtherApps)) {
            if (store.region().equals(region)) {
                return store;
            }
        }
        throw new IllegalArgumentException("no snapshot store is configured for region '" + region + "' (configured: "
                + forEuropeanApps.region() + ", " + forOtherApps.region() + ")");
    }

    /** The handler of {@code GET /downloads/{token}}, present when snapshots are stored locally. */
    public Optional<LocalDownloads> localDownloads() {
        return localDownloads;
    }

    @Override
    public void close() throws Exception {
        for (var store : List.of(forEuropeanApps, forOtherApps).stream().distinct().toList()) {
            if (store instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    static boolean inEurope(String herokuRegion) {
        String region = herokuRegion.toLowerCase(Locale.ROOT).trim();
        int provider = region.lastIndexOf("::");
        if (provider >= 0) {
            // "amazon-web-services::eu-west-1" names the AWS region after the provider.
            region = region.substring(provider + 2);
        }
        return region.equals("eu") || region.startsWith("eu-") || EUROPEAN_PRIVATE_SPACES.contains(region);
    }

    /** A key of its own for download links, so that it never equals the key that encrypts secrets. */
    static byte[] signingKey(byte[] secretKey) {
        return io.autobus.crypto.Tokens.hmacSha256(secretKey, SIGNING_LABEL.getBytes(StandardCharsets.UTF_8));
    }
}
