package io.autobus.dump;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Watches a custom archive on its way to pg_restore and says which table's data is passing: past
 * the head and table of contents ({@link PgArchiveToc.Contents#dataStart()}), the data blocks as
 * {@link PgArchiveStream} describes them — a block type byte and a dump id, then chunks of an int
 * length and that many bytes (compressed or not), ended by a zero length; large objects' blocks
 * hold an oid before each object's chunks, ended by a zero oid. Reads nothing itself; a stream
 * it cannot follow (a format it does not expect) only stops naming tables.
 */
public final class PgArchiveWatcher extends FilterInputStream {
    private static final int BLK_DATA = 1;
    private static final int BLK_BLOBS = 3;

    private enum State { HEAD, BLOCK_TYPE, DUMP_ID, CHUNK_LENGTH, CHUNK, BLOB_OID, LOST }

    private final Map<Integer, String> tables = new HashMap<>();
    private final int intSize;
    private long headLeft;
    private State state = State.HEAD;
    private boolean blobs;
    private long chunkLeft;
    private int intBytes; // bytes of the int being read, sign byte first
    private long intValue;
    private int intSign;
    private volatile String table;

    public PgArchiveWatcher(InputStream in, PgArchiveToc.Contents contents) {
        super(in);
        contents.entries().stream().filter(e -> e.desc().equals("TABLE DATA"))
                .forEach(e -> tables.put(e.dumpId(), e.namespace() + "." + e.tag()));
        this.intSize = contents.intSize();
        this.headLeft = contents.dataStart();
        if (headLeft == 0) {
            state = State.BLOCK_TYPE;
        }
    }

    /** The table whose data is passing ({@code schema.name}); null outside table data. */
    public String table() {
        return table;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            watch(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            watch(buffer, offset, n);
        }
        return n;
    }

    private void watch(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && state != State.LOST) {
            switch (state) {
                case HEAD -> {
                    int skip = (int) Math.min(headLeft, end - i);
                    i += skip;
                    headLeft -= skip;
                    if (headLeft == 0) {
                        state = State.BLOCK_TYPE;
                    }
                }
                case CHUNK -> {
                    int skip = (int) Math.min(chunkLeft, end - i);
                    i += skip;
                    chunkLeft -= skip;
                    if (chunkLeft == 0) {
                        state = State.CHUNK_LENGTH;
                    }
                }
                case BLOCK_TYPE -> {
                    int type = bytes[i++] & 0xff;
                    blobs = type == BLK_BLOBS;
                    state = type == BLK_DATA || type == BLK_BLOBS ? State.DUMP_ID : State.LOST;
                    intBytes = 0;
                }
                default -> {
                    if (readIntByte(bytes[i++] & 0xff)) {
                        intEnded();
                    }
                }
            }
        }
    }

    /** One byte of WriteInt's form (a sign byte, then intSize bytes, least significant first); true when the int is whole. */
    private boolean readIntByte(int b) {
        if (intBytes == 0) {
            intSign = b;
            intValue = 0;
        } else {
            intValue |= (long) b << (8 * (intBytes - 1));
        }
        return ++intBytes == intSize + 1;
    }

    private void intEnded() {
        long value = intSign == 0 ? intValue : -intValue;
        intBytes = 0;
        switch (state) {
            case DUMP_ID -> {
                table = blobs ? null : tables.get((int) value);
                state = blobs ? State.BLOB_OID : State.CHUNK_LENGTH;
            }
            case BLOB_OID -> state = value == 0 ? State.BLOCK_TYPE : State.CHUNK_LENGTH;
            case CHUNK_LENGTH -> {
                if (value < 0) {
                    state = State.LOST;
                } else if (value == 0) {
                    table = null;
                    state = blobs ? State.BLOB_OID : State.BLOCK_TYPE;
                } else {
                    chunkLeft = value;
                    state = State.CHUNK;
                }
            }
            default -> state = State.LOST;
        }
    }
}
