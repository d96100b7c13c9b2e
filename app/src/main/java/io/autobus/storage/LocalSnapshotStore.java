package io.autobus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;

/**
 * The embedded default: snapshots as files under one directory, downloaded through signed,
 * expiring links that {@link LocalDownloads} serves.
 */
public final class LocalSnapshotStore implements SnapshotStore {
    static final Duration DOWNLOAD_VALIDITY = Duration.ofMinutes(30);
    static final String REGION = "local";

    private final LocalPaths paths;
    private final URI publicUrl;
    private final DownloadTokens tokens;
    private final Clock clock;

    /**
     * @param publicUrl  how browsers reach this service, where {@code /downloads/{token}} is served
     * @param signingKey at least 32 bytes; {@link LocalDownloads} must be given the same
     */
    public LocalSnapshotStore(Path root, URI publicUrl, byte[] signingKey, Clock clock) {
        this.paths = new LocalPaths(root);
        this.publicUrl = publicUrl;
        this.tokens = new DownloadTokens(signingKey);
        this.clock = clock;
    }

    @Override
    public void put(String key, InputStream content) throws IOException {
        Path target = paths.of(key);
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.createDirectories(target.getParent());
            try (var file = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                content.transferTo(Channels.newOutputStream(file));
                // On disk before the rename makes it visible, so a crash never leaves a short snapshot.
                file.force(true);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(paths.of(key));
    }

    @Override
    public URI downloadUrl(String key, String fileName) {
        paths.of(key);
        ContentDisposition.attachment(fileName);
        String token = tokens.issue(new DownloadTokens.Download(key, fileName, clock.instant().plus(DOWNLOAD_VALIDITY)));
        return URI.create(publicUrl.toString().replaceAll("/+$", "") + "/downloads/" + token);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(paths.of(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(paths.of(key));
    }

    @Override
    public String region() {
        return REGION;
    }

    @Override
    public String toString() {
        return "LocalSnapshotStore[" + paths + "]";
    }
}
