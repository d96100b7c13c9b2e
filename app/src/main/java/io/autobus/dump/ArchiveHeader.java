package io.autobus.dump;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The head of a {@code pg_dump -Fc} archive: {@code PGDMP}, then one byte each for the archive
 * format's major, minor and revision (pg_backup_archiver.c, WriteHead). pg_dump 12–15 write
 * 1.14, 16 writes 1.15, 17 and 18 write 1.16; a pg_restore refuses versions newer than its own.
 */
public final class ArchiveHeader {
    /** What must be read to know the version: the magic and three bytes. */
    public static final int LENGTH = 8;
    private static final byte[] MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

    private ArchiveHeader() {
    }

    /** {@code 1.14} for an archive of pg_dump 15; empty when {@code head} is not a custom archive's start. */
    public static Optional<String> version(byte[] head) {
        if (head == null || head.length < LENGTH || !Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        return Optional.of((head[5] & 0xff) + "." + (head[6] & 0xff));
    }

    /**
     * The oldest pg_restore major that reads an archive version: 1.14 → 12, 1.15 → 16, 1.16 → 17;
     * an unknown newer version → {@link Integer#MAX_VALUE} (nothing installed is known to read it).
     */
    public static int oldestReader(String version) {
        return switch (version) {
            case "1.12", "1.13" -> 10;
            case "1.14" -> 12;
            case "1.15" -> 16;
            case "1.16" -> 17;
            default -> Integer.MAX_VALUE;
        };
    }

    /**
     * Which client restores a snapshot written by pg_dump {@code pgDumpMajor}. The rule we state:
     * the pg_restore of the archive's pg_dump major, or newer. (Older ones down to the archive
     * version's first reader would too, see {@link #oldestReader}; the stated rule is the one that
     * needs no table.)
     */
    public static String restoreWith(int pgDumpMajor) {
        return "pg_restore " + pgDumpMajor + " or newer";
    }
}
