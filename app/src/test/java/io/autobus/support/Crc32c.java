package io.autobus.support;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.Base64;
import java.util.zip.CRC32C;

/** CRC32C computed in the test, independently of the code under test, spelt as S3 documents it: base64 of the big-endian CRC. */
public final class Crc32c {
    private Crc32c() {
    }

    public static String base64(byte[] bytes) {
        var crc = new CRC32C();
        crc.update(bytes);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array());
    }

    public static String base64(Path file) throws IOException {
        return base64(Files.readAllBytes(file));
    }
}
