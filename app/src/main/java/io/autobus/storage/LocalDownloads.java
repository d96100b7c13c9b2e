package io.autobus.storage;

import io.autobus.http.TitledResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;

/** Serves {@code GET /downloads/{token}}: the local store's answer to S3's presigned URLs. */
public final class LocalDownloads {
    private static final String BROKEN_LINK = "This download link does not work";

    private final LocalPaths paths;
    private final DownloadTokens tokens;
    private final Clock clock;

    /** Give it the same directory and signing key as the {@link LocalSnapshotStore}. */
    public LocalDownloads(Path root, byte[] signingKey, Clock clock) {
        this.paths = new LocalPaths(root);
        this.tokens = new DownloadTokens(signingKey);
        this.clock = clock;
    }

    public void serve(Context ctx) throws IOException {
        var download = tokens.verify(ctx.pathParam("token")).orElseThrow(() -> new TitledResponse(403, BROKEN_LINK,
                "This download link is not valid: it was altered or cut short. Get a new one from the dashboard."));
        if (!clock.instant().isBefore(download.expiresAt())) {
            throw new TitledResponse(410, "This download link has expired",
                    "This download link has expired: links are valid for 30 minutes. Get a new one from the dashboard.");
        }
        String disposition = ContentDisposition.attachment(download.fileName());
        FileChannel file;
        try {
            file = FileChannel.open(paths.of(download.key()));
        } catch (NoSuchFileException e) {
            throw new TitledResponse(404, BROKEN_LINK, "The snapshot of this link no longer exists.");
        }
        long size;
        try {
            size = file.size();
        } catch (IOException e) {
            file.close();
            throw e;
        }
        // Javalin closes the stream once written; compressing a dump again would only cost CPU.
        ctx.disableCompression()
                .contentType("application/octet-stream")
                .header("Content-Disposition", disposition)
                .header("Content-Length", Long.toString(size))
                .header("Cache-Control", "private, no-store")
                .result(Channels.newInputStream(file));
    }
}
