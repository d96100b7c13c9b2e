package io.autobus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

/** Content for stores to keep: random bytes, and dump streams that break half-way. */
final class TestContent {
    static final int MIB = 1024 * 1024;

    private TestContent() {
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Gives {@code size} bytes, then throws {@code failure}, as a dump tool that dies would. */
    static InputStream failingAfter(int size, IOException failure) {
        return new InputStream() {
            private int given;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (given >= size) {
                    throw failure;
                }
                int count = Math.min(length, size - given);
                for (int i = 0; i < count; i++) {
                    buffer[offset + i] = (byte) (given + i);
                }
                given += count;
                return count;
            }
        };
    }
}
