package io.autobus.dump;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Reads a pg_dump custom archive as it flows and passes on the same archive with its data
 * compressed on several threads ({@link ParallelDeflate}), counting the rows of every table's COPY
 * data on the way and telling {@link DumpProgress} where the dump is. pg_dump runs with
 * {@code -Z0}, so its one compression thread no longer bounds the backup; the result is plain
 * pg_dump format, for any pg_restore of the archive's version. Memory: a 256 KiB read buffer and
 * the compressor's blocks in flight, whatever the database's size.
 *
 * <p>The format, as written by PostgreSQL 15.18's {@code src/bin/pg_dump} (line numbers of that release):
 * <ul>
 * <li>{@code pg_backup_archiver.c} WriteHead (3814): {@code PGDMP}, version major, minor, revision, intSize, offSize,
 *     format (one byte each); then up to 1.14 {@code WriteInt(compression level)}, from 1.15 (PostgreSQL 16) one byte,
 *     the compression algorithm (0 none, 1 gzip); 7 ints of creation time; 3 strings.</li>
 * <li>WriteInt (2042): a sign byte, then intSize bytes, least significant first. WriteStr (2100): WriteInt(length),
 *     then the bytes; length -1 for NULL. WriteOffset (1961): a flag byte, then offSize bytes.</li>
 * <li>WriteToc (2508): WriteInt(count); per entry dumpId and hadDumper (ints); tableoid, oid, tag, desc (strings);
 *     section (int); defn, dropStmt, copyStmt, namespace, tablespace, tableam (strings); from 1.16 (PostgreSQL 17)
 *     relkind (int, {@code WriteInt(AH, te->relkind)} after tableam); owner, "false" (strings); dependency ids as strings
 *     ended by a NULL string; then {@code pg_backup_custom.c} _WriteExtraToc: WriteOffset(dataPos, dataState).</li>
 * <li>{@code pg_backup_custom.c} _CloseArchive (735): head, TOC, then the data blocks; the TOC is rewritten with data
 *     offsets only when the output can seek, so from a pipe every offset flag is 1 (not set) or 3 (no data).</li>
 * <li>_StartData (289): byte BLK_DATA (1), WriteInt(dumpId); _CustomWriteFunc (986): chunks of WriteInt(length) and
 *     the bytes, never of length 0; _EndData (331): WriteInt(0). _StartBlobs (350): byte BLK_BLOBS (3),
 *     WriteInt(dumpId); per large object _StartBlob (371) WriteInt(oid) and its chunks ended by 0; _EndBlobs (404):
 *     WriteInt(0). The archive ends after the last block.</li>
 * <li>{@code compress_io.c}: compressed, each data entry and each large object is one zlib stream, which pg_restore
 *     inflates across its chunks as one (ReadDataFromArchiveZlib, 313); several streams in one entry it cannot read.</li>
 * </ul>
 * COPY data (text format) holds one row per line, newlines inside values escaped as {@code \n}, so the rows are the
 * newlines; pg_dump releases of August 2025 on (15.14, say) end it with the {@code \.} line and two empty lines,
 * earlier ones leave that to pg_restore, so a {@code \.} line at the end is not counted, nor the lines after it. A row
 * whose only value is a backslash and a dot is written {@code \\.}, never {@code \.}.
 */
final class PgArchiveStream extends PieceInputStream {
    private static final int BLK_DATA = 1;
    private static final int BLK_BLOBS = 3;
    private static final int OFFSET_POS_SET = 2;
    private static final int OFFSET_POS_NOT_SET = 1;
    private static final int PIECE = 64 * 1024;
    private static final int TAIL = 8;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private enum State { HEAD, TOC, BLOCK, BLOB_OID, CHUNK_LENGTH, CHUNK_DATA, END }

    private final InputStream in;
    private final DumpProgress progress;
    private final int level;
    private final Deque<byte[]> ready = new ArrayDeque<>();
    /** pg_dump's output as read: pg_dump -Z0 writes each row as its own chunk, so chunks are parsed here, not one read each. */
    private final byte[] buffer = new byte[4 * PIECE];
    private int bufferStart;
    private int bufferEnd;
    /** Data bytes and rows seen since the last report to {@link #progress}: told once per step, not once per row. */
    private long unreportedBytes;
    private long unreportedRows;
    private final Map<Integer, String> tableData = new HashMap<>();
    private State state = State.HEAD;
    private int minor;
    private int intSize;
    private int offSize;
    private int tocLeft;
    private boolean inBlobs;
    private String table; // the TABLE DATA entry being read, null for other data
    private long chunkLeft;
    private final byte[] tail = new byte[TAIL]; // the entry's last bytes, to find a \. terminator
    private int tailLength;
    private final ParallelDeflate deflate; // one zlib stream per entry and large object; null when level is 0
    private final java.util.function.Consumer<byte[]> chunkOut = this::chunk; // once: a method reference per row was most of our garbage
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    /**
     * @param in             pg_dump's output, written with {@code -Z0}
     * @param blocksInFlight the most blocks compressing or waiting at once ({@link CompressionThreads#blocksPerDump})
     * @param level          the zlib level of the result, 1-9; 0 passes the data on uncompressed
     */
    PgArchiveStream(InputStream in, DumpProgress progress, Executor pool, int blocksInFlight, int level) {
        this.in = in;
        this.progress = progress;
        this.level = level;
        this.deflate = level == 0 ? null : new ParallelDeflate(pool, level, blocksInFlight);
    }

    @Override
    protected byte[] nextPiece() throws IOException {
        while (ready.isEmpty()) {
            if (state == State.END) {
                return null;
            }
            step();
        }
        return ready.removeFirst();
    }

    /**
     * One unit of work: the head, one TOC entry, a block's start, or data chunks until there is output (or a few
     * hundred KiB were read: the compressor emits once per block).
     */
    private void step() throws IOException {
        switch (state) {
            case HEAD -> head();
            case TOC -> tocEntry();
            case BLOCK -> block();
            case BLOB_OID -> blobOid();
            case CHUNK_LENGTH, CHUNK_DATA -> chunks();
            case END -> throw new IllegalStateException();
        }
    }

    private void chunks() throws IOException {
        long before = unreportedBytes;
        try {
            while (ready.isEmpty() && unreportedBytes - before < 4 * PIECE) {
                if (state == State.CHUNK_LENGTH) {
                    chunkLength();
                } else if (state == State.CHUNK_DATA) {
                    chunkData();
                } else {
                    return;
                }
            }
        } finally {
            reportProgress();
        }
    }

    private void reportProgress() {
        progress.addBytes(unreportedBytes);
        if (table != null && unreportedRows != 0) {
            progress.addRows(table, unreportedRows); // as they pass: how far into the table the dump is
        }
        unreportedBytes = 0;
        unreportedRows = 0;
    }

    private void head() throws IOException {
        byte[] magic = exactly(5);
        if (!new String(magic, StandardCharsets.US_ASCII).equals("PGDMP")) {
            throw new IOException("pg_dump's output is not a custom-format archive");
        }
        copy.write(magic);
        int major = copiedByte();
        minor = copiedByte();
        copiedByte(); // revision
        intSize = copiedByte();
        offSize = copiedByte();
        int format = copiedByte();
        if (major != 1 || minor < 14 || minor > 16 || format != 1 || intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8) {
            throw new IOException("pg_dump wrote an archive this service cannot read (version " + major + "." + minor
                    + ", format " + format + "); custom archives 1.14 to 1.16 (pg_dump 12 to 18) are read");
        }
        if (minor >= 15) {
            int algorithm = readByte();
            requireUncompressed(algorithm);
            copy.write(level == 0 ? 0 : 1); // 1: gzip (zlib streams), pg_compress_algorithm
        } else {
            requireUncompressed(readInt());
            writeInt(copy, level);
        }
        for (int i = 0; i < 7; i++) {
            copiedInt(); // creation time
        }
        for (int i = 0; i < 3; i++) {
            copiedString(); // database, server version, pg_dump version
        }
        tocLeft = copiedInt();
        flushCopy();
        state = tocLeft > 0 ? State.TOC : State.BLOCK;
    }

    private static void requireUncompressed(int compression) throws IOException {
        if (compression != 0) {
            throw new IOException("pg_dump compressed its output (" + compression + "); it must run with -Z0");
        }
    }

    private void tocEntry() throws IOException {
        int dumpId = copiedInt();
        copiedInt(); // hadDumper
        copiedString(); // tableoid
        copiedString(); // oid
        String tag = copiedString();
        String desc = copiedString();
        copiedInt(); // section
        for (int i = 0; i < 6; i++) {
            String value = copiedString(); // defn, dropStmt, copyStmt, namespace, tablespace, tableam
            if (i == 3 && "TABLE DATA".equals(desc)) {
                tableData.put(dumpId, value + "." + tag);
            }
        }
        if (minor >= 16) {
            copiedInt(); // relkind
        }
        copiedString(); // owner
        copiedString(); // "false" (with OIDs)
        while (copiedString() != null) {
            // dependencies, up to a NULL string
        }
        int flag = readByte();
        byte[] offset = exactly(offSize);
        // Never set from a pipe; were it set, our data would not be at that offset any more.
        copy.write(flag == OFFSET_POS_SET ? OFFSET_POS_NOT_SET : flag);
        copy.write(flag == OFFSET_POS_SET ? new byte[offSize] : offset);
        flushCopy();
        if (--tocLeft == 0) {
            progress.dumpedTables(new HashSet<>(tableData.values()));
            state = State.BLOCK;
        }
    }

    private void block() throws IOException {
        int type = next();
        if (type < 0) {
            finishAll();
            return;
        }
        int dumpId = readInt();
        copy.write(type);
        writeInt(copy, dumpId);
        flushCopy();
        if (type == BLK_DATA) {
            inBlobs = false;
            table = tableData.get(dumpId);
            if (table != null) {
                progress.enter(table);
                tailLength = 0;
            }
            state = State.CHUNK_LENGTH;
        } else if (type == BLK_BLOBS) {
            inBlobs = true;
            table = null;
            state = State.BLOB_OID;
        } else {
            throw new IOException("unexpected block type " + type + " in pg_dump's archive");
        }
    }

    private void blobOid() throws IOException {
        int oid = readInt();
        writeInt(copy, oid);
        flushCopy();
        if (oid == 0) {
            state = State.BLOCK;
        } else {
            state = State.CHUNK_LENGTH;
        }
    }

    private void chunkLength() throws IOException {
        int length = readInt();
        if (length < 0) {
            throw new IOException("a negative chunk length in pg_dump's archive");
        }
        if (length == 0) {
            if (table != null) {
                unreportedRows -= terminatorLines();
            }
            if (deflate != null) {
                deflate.finish(chunkOut);
            }
            writeInt(copy, 0);
            flushCopy();
            state = inBlobs ? State.BLOB_OID : State.BLOCK;
            return;
        }
        if (deflate == null) {
            writeInt(copy, length);
            flushCopy();
        }
        chunkLeft = length;
        state = State.CHUNK_DATA;
    }

    /** What the buffer holds of the chunk, straight from the buffer into the count and the compressor. */
    private void chunkData() throws IOException {
        if (bufferStart == bufferEnd && !fill()) {
            throw new EOFException("pg_dump's archive ended inside a data chunk");
        }
        int n = (int) Math.min(chunkLeft, bufferEnd - bufferStart);
        int from = bufferStart;
        bufferStart += n;
        chunkLeft -= n;
        unreportedBytes += n;
        if (table != null) {
            unreportedRows += newlines(buffer, from, n);
            keepTail(buffer, from, n);
        }
        if (deflate != null) {
            deflate.write(buffer, from, n, chunkOut);
        } else {
            ready.add(java.util.Arrays.copyOfRange(buffer, from, from + n));
        }
        if (chunkLeft == 0) {
            state = State.CHUNK_LENGTH;
        }
    }

    private void keepTail(byte[] bytes, int offset, int n) {
        int take = Math.min(n, TAIL);
        int keep = Math.min(tailLength, TAIL - take);
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        System.arraycopy(bytes, offset + n - take, tail, keep, take);
        tailLength = keep + take;
    }

    /** The newlines of a {@code \.} line ending the entry's data and of the empty lines after it; 0 without one. */
    private int terminatorLines() {
        int end = tailLength;
        int empty = 0;
        while (end > 0 && tail[end - 1] == '\n') {
            end--;
            empty++;
        }
        boolean terminator = empty > 0 && end >= 2 && tail[end - 1] == '.' && tail[end - 2] == '\\'
                && (end == 2 || tail[end - 3] == '\n');
        return terminator ? empty : 0;
    }

    /** Counts newline bytes eight at a time: every byte of the dump passes here, on the one reading thread. */
    static long newlines(byte[] bytes, int offset, int length) {
        long count = 0;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long x = (long) LONGS.get(bytes, i) ^ 0x0a0a0a0a0a0a0a0aL; // newline bytes become zero
            // The high bit of each byte that is zero, and of no other (no carry crosses a byte).
            long zeros = ~(((x & 0x7f7f7f7f7f7f7f7fL) + 0x7f7f7f7f7f7f7f7fL) | x | 0x7f7f7f7f7f7f7f7fL);
            count += Long.bitCount(zeros);
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n') {
                count++;
            }
        }
        return count;
    }

    /** A compressed piece as one of the archive's chunks: its length, then the piece as it is. */
    private void chunk(byte[] compressed) {
        writeInt(copy, compressed.length);
        flushCopy();
        ready.add(compressed);
    }

    private void finishAll() {
        progress.finished();
        state = State.END;
    }

    @Override
    public void close() throws IOException {
        if (deflate != null) {
            deflate.abort();
        }
        state = State.END;
        ready.clear();
        dropPiece();
        in.close();
    }

    private void flushCopy() {
        ready.add(copy.toByteArray());
        copy.reset();
    }

    /** The next byte, or -1 at the end of pg_dump's output. */
    private int next() throws IOException {
        return bufferStart < bufferEnd || fill() ? buffer[bufferStart++] & 0xff : -1;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        bufferStart = 0;
        bufferEnd = Math.max(n, 0);
        return n > 0;
    }

    private int readByte() throws IOException {
        int b = next();
        if (b < 0) {
            throw new EOFException("pg_dump's archive ended early (in its " + switch (state) {
                case HEAD -> "header";
                case TOC -> "table of contents";
                default -> "data";
            } + ")");
        }
        return b;
    }

    private byte[] exactly(int n) throws IOException {
        byte[] bytes = new byte[n];
        int got = 0;
        while (got < n) {
            if (bufferStart == bufferEnd && !fill()) {
                throw new EOFException("pg_dump's archive ended early");
            }
            int take = Math.min(n - got, bufferEnd - bufferStart);
            System.arraycopy(buffer, bufferStart, bytes, got, take);
            bufferStart += take;
            got += take;
        }
        return bytes;
    }

    private int copiedByte() throws IOException {
        int b = readByte();
        copy.write(b);
        return b;
    }

    /** WriteInt's form: a sign byte, then intSize bytes, least significant first. */
    private int readInt() throws IOException {
        if (bufferEnd - bufferStart > intSize) { // the common case, once per row: no call per byte
            int sign = buffer[bufferStart++];
            long value = 0;
            for (int i = 0; i < intSize; i++) {
                value |= (long) (buffer[bufferStart++] & 0xff) << (8 * i);
            }
            return (int) (sign == 0 ? value : -value);
        }
        int sign = readByte();
        long value = 0;
        for (int i = 0; i < intSize; i++) {
            value |= (long) readByte() << (8 * i);
        }
        return (int) (sign == 0 ? value : -value);
    }

    private void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value < 0 ? 1 : 0);
        long magnitude = Math.abs((long) value);
        for (int i = 0; i < intSize; i++) {
            out.write((int) (magnitude >>> (8 * i)) & 0xff);
        }
    }

    private int copiedInt() throws IOException {
        int value = readInt();
        writeInt(copy, value);
        return value;
    }

    /** WriteStr's form; null for a NULL string. Copied as it was. */
    private String copiedString() throws IOException {
        int length = copiedInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = exactly(length);
        copy.write(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
