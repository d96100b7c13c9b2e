package io.autobus.storage;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * The checksum of a stored snapshot, recorded with it: computed over the bytes while they were
 * stored, and equal to the one the store reports for what it holds. {@code algorithm} is
 * {@value #CRC32C} (of the whole object); {@code value} is spelt as S3 spells it, the base64 of
 * the big-endian CRC, so {@code aws s3api head-object --checksum-mode ENABLED} shows the same.
 */
public record StoredChecksum(String algorithm, String value) {
    public static final String CRC32C = "CRC32C";

    /** What a {@link CRC32C} has seen so far. */
    static StoredChecksum crc32c(CRC32C crc) {
        return new StoredChecksum(CRC32C, base64(crc));
    }

    /** The CRC32C as S3 writes it in x-amz-checksum-crc32c. */
    static String base64(CRC32C crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array());
    }

    @Override
    public String toString() {
        return algorithm + " " + value;
    }
}
