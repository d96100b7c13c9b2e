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
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

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

    /**
     * The checksum is the CRC32C of the bytes handed to the file, and the file is checked to hold
     * exactly as many once they are on disk. That proves no byte was lost or added on the way to the
     * file; reading the file back would prove no more (it would come from the page cache, not the disk).
     */
    @Override
    public StoredChecksum put(String key, InputStream content) throws IOException {
        Path target = paths.of(key);
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.createDirectories(target.getParent());
            var crc = new CRC32C();
            try (var file = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                long written = content.transferTo(new CheckedOutputStream(Channels.newOutputStream(file), crc));
                // On disk before the rename makes it visible, so a crash never leaves a short snapshot.
                file.force(true);
                if (file.size() != written) {
                    throw new CorruptUploadException("the stored copy at " + target + " holds " + file.size() + " bytes where "
                            + written + " were written: the write was corrupted");
                }
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return StoredChecksum.crc32c(crc);
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
