package io.autobus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * Where snapshot files are kept: an S3 bucket on the other continent, or a local directory for
 * the embedded setup. Keys are relative paths such as {@code "<addon uuid>/DATABASE_<id>.dump"}.
 * Every implementation passes {@code SnapshotStoreContract}.
 */
public interface SnapshotStore {
    /**
     * Streams content to key until EOF, never buffering the whole object (memory stays bounded
     * whatever the size). If reading content or storing fails, nothing is left at key and no
     * multipart upload stays open; the exception is rethrown (IOException as is). Storing over
     * an existing key replaces it (a failed put leaves the earlier object as it was).
     * Returns the checksum of the stored object, computed over the content while it was stored and
     * checked against what the store holds; a store holding other bytes than it was given fails with
     * {@link CorruptUploadException} and keeps nothing at key (not even an earlier object).
     */
    StoredChecksum put(String key, InputStream content) throws IOException;

    /**
     * Reads a stored object back (verification restores from it). A missing key fails with
     * {@link java.nio.file.NoSuchFileException}.
     */
    InputStream open(String key) throws IOException;

    /**
     * A URL anyone can GET for 30 minutes, downloading the object under fileName
     * (Content-Disposition: attachment). The file name must be plain: printable ASCII without
     * quotes, backslashes or slashes.
     */
    URI downloadUrl(String key, String fileName);

    /** Deletes the object; deleting a missing key is not an error (pruning is idempotent). */
    void delete(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /**
     * Where objects are kept, recorded with each snapshot: the AWS region such as "eu-west-1",
     * or "local".
     */
    String region();
}
