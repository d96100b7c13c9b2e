package io.autobus.dump;

import java.io.IOException;
import java.io.InputStream;

/** An input stream made of pieces a subclass produces one after another (rewritten lines, re-framed archive chunks). */
public abstract class PieceInputStream extends InputStream {
    private byte[] piece = new byte[0];
    private int position;

    /** The next piece of output (it may be empty); null at the end. */
    protected abstract byte[] nextPiece() throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == piece.length) {
            byte[] next = nextPiece();
            if (next == null) {
                return -1;
            }
            piece = next;
            position = 0;
        }
        int n = Math.min(length, piece.length - position);
        System.arraycopy(piece, position, target, offset, n);
        position += n;
        return n;
    }

    /** Forgets the piece being read (a stream closed half-way). */
    protected void dropPiece() {
        piece = new byte[0];
        position = 0;
    }
}
