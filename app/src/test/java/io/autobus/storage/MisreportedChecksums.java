package io.autobus.storage;

import io.autobus.support.S3ProxyServer;

/**
 * An S3 store on the real S3Proxy whose answers reach it with the stored object's checksum
 * altered, as if S3 held other bytes than were sent: for tests outside this package.
 */
public final class MisreportedChecksums {
    private MisreportedChecksums() {
    }

    public static S3SnapshotStore store(S3ProxyServer proxy, String bucket, String region) {
        var traffic = new S3Traffic();
        traffic.misreportChecksums();
        var client = proxy.clientBuilder(region).overrideConfiguration(config -> config.addExecutionInterceptor(traffic)).build();
        return new S3SnapshotStore(client, S3SnapshotStore.presigner(proxy.settings(bucket, bucket), region), bucket, region,
                PartSizes.STANDARD, UploadMemory.ofMegabytes(io.autobus.config.Settings.S3Settings.UPLOAD_MEMORY_MB));
    }
}
