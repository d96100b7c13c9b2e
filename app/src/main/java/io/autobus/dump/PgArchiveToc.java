package io.autobus.dump;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of contents at the head of a pg_dump custom archive, compressed or not, read from its
 * first bytes (the data that follows is not read): each entry's id, kind, schema, name, SQL and
 * what it depends on, which {@code pg_restore --list} does not show. The format is the one
 * {@link PgArchiveStream} describes, with line numbers of pg_dump 15.18's source.
 */
public final class PgArchiveToc {
    private final InputStream in;
    private int intSize;
    private long position;

    /**
     * One entry.
     *
     * @param desc         its kind: {@code TABLE}, {@code TABLE DATA}, {@code INDEX}, {@code FK CONSTRAINT}, {@code SEQUENCE OWNED BY}...
     * @param namespace    its schema (empty for objects outside one)
     * @param tag          its name; {@code "orders orders_pkey"} (table, then constraint) for constraints and triggers
     * @param defn         its SQL, as pg_restore would run it
     * @param dependencies the ids of the entries it depends on
     */
    public record Entry(int dumpId, String desc, String namespace, String tag, String defn, List<Integer> dependencies) {
    }

    private PgArchiveToc(InputStream in) {
        this.in = in;
    }

    /**
     * The head of an archive: its entries in the archive's order, where the data blocks begin, and the size of its ints.
     *
     * @param dataStart the bytes of the header and table of contents: the first data block starts there
     */
    public record Contents(List<Entry> entries, long dataStart, int intSize) {
    }

    public static Contents contents(InputStream archive) throws IOException {
        var toc = new PgArchiveToc(archive);
        var entries = toc.entries();
        return new Contents(entries, toc.position, toc.intSize);
    }

    private List<Entry> entries() throws IOException {
        byte[] magic = bytes(5);
        if (!new String(magic, StandardCharsets.US_ASCII).equals("PGDMP")) {
            throw new IOException("not a pg_dump custom-format archive");
        }
        int major = next();
        int minor = next();
        next(); // revision
        intSize = next();
        int offSize = next();
        int format = next();
        if (major != 1 || minor < 14 || minor > 16 || format != 1 || intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8) {
            throw new IOException("an archive this service cannot read (version " + major + "." + minor + ", format " + format + ")");
        }
        if (minor >= 15) {
            next(); // compression algorithm
        } else {
            readInt(); // compression level
        }
        for (int i = 0; i < 7; i++) {
            readInt(); // creation time
        }
        for (int i = 0; i < 3; i++) {
            readString(); // database, server version, pg_dump version
        }
        int count = readInt();
        var entries = new ArrayList<Entry>(count);
        for (int e = 0; e < count; e++) {
            int dumpId = readInt();
            readInt(); // hadDumper
            readString(); // tableoid
            readString(); // oid
            String tag = readString();
            String desc = readString();
            readInt(); // section
            String defn = readString();
            readString(); // dropStmt
            readString(); // copyStmt
            String namespace = readString();
            readString(); // tablespace
            readString(); // tableam
            if (minor >= 16) {
                readInt(); // relkind
            }
            readString(); // owner
            readString(); // "false"
            var dependencies = new ArrayList<Integer>();
            for (String dependency = readString(); dependency != null; dependency = readString()) {
                dependencies.add(Integer.parseInt(dependency.strip()));
            }
            next(); // data offset flag
            bytes(offSize);
            entries.add(new Entry(dumpId, desc, namespace == null ? "" : namespace, tag, defn, List.copyOf(dependencies)));
        }
        return entries;
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the archive ended inside its table of contents");
        }
        position++;
        return b;
    }

    private byte[] bytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("the archive ended inside its table of contents");
        }
        position += n;
        return bytes;
    }

    private int readInt() throws IOException {
        int sign = next();
        long value = 0;
        for (int i = 0; i < intSize; i++) {
            value |= (long) next() << (8 * i);
        }
        return (int) (sign == 0 ? value : -value);
    }

    private String readString() throws IOException {
        int length = readInt();
        if (length < 0) {
            return null;
        }
        return new String(bytes(length), StandardCharsets.UTF_8);
    }
}
