package io.autobus.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.support.AgeIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encrypting from the reading side gives what the real {@code age} tool opens, whatever the read sizes. */
class AgeInputStreamTest {
    @TempDir
    Path dir;

    @Test
    void what_is_read_decrypts_with_age_and_the_identity_byte_for_byte() throws Exception {
        var identity = AgeIdentity.generate(dir);
        var random = new Random(14);
        for (int size : new int[] {0, 1, 65_536, 65_537, 1_000_003}) {
            byte[] plaintext = new byte[size];
            random.nextBytes(plaintext);
            var encrypted = new ByteArrayOutputStream();
            try (InputStream in = new AgeInputStream(new TrickleInputStream(plaintext), identity.recipient())) {
                byte[] buffer = new byte[5_003];
                for (int n; (n = in.read(buffer, 0, 1 + random.nextInt(buffer.length))) != -1; ) {
                    encrypted.write(buffer, 0, n);
                }
                assertThat(in.read()).as("stays at the end").isEqualTo(-1);
            }
            Path file = dir.resolve("sample-" + size + ".age");
            Files.write(file, encrypted.toByteArray());

            assertThat(identity.decrypt(file)).as(size + " bytes").isEqualTo(plaintext);
        }
    }

    /** A source that returns less than asked, as a pipe from a tool does. */
    private static final class TrickleInputStream extends ByteArrayInputStream {
        TrickleInputStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 10_007));
        }
    }
}
