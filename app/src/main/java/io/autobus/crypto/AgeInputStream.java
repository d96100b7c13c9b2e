package io.autobus.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The age encryption of a stream, read from the reading side: each read pulls up to one 64 KiB
 * chunk of plaintext through an {@link AgeOutputStream} into a small buffer and hands the sealed
 * bytes out. No thread, and bounded memory (about two chunks), for a store that reads its upload.
 * A failure of the source (a dump tool that died) surfaces from {@link #read} as it is.
 */
public final class AgeInputStream extends InputStream {
    private static final int CHUNK = 64 * 1024;

    private final InputStream plaintext;
    private final Sealed sealed = new Sealed();
    private final AgeOutputStream age;
    private final byte[] chunk = new byte[CHUNK];
    private int position;
    private boolean ended;

    public AgeInputStream(InputStream plaintext, AgeRecipient recipient) throws IOException {
        this.plaintext = plaintext;
        this.age = new AgeOutputStream(sealed, recipient);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position == sealed.size()) {
            if (ended) {
                return -1;
            }
            sealed.reset();
            position = 0;
            int n = plaintext.read(chunk, 0, CHUNK);
            if (n == -1) {
                ended = true;
                age.close(); // seals the last chunk
            } else {
                age.write(chunk, 0, n);
            }
        }
        int n = Math.min(len, sealed.size() - position);
        System.arraycopy(sealed.bytes(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return sealed.size() - position;
    }

    @Override
    public void close() throws IOException {
        plaintext.close();
    }

    /** A buffer whose bytes are read in place; closing it (the age stream does, at the end) keeps them. */
    private static final class Sealed extends ByteArrayOutputStream {
        Sealed() {
            super(CHUNK + 2 * 1024);
        }

        byte[] bytes() {
            return buf;
        }

        @Override
        public void close() {
        }
    }
}
