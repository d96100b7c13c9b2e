package io.autobus.storage;

/**
 * How big each part of a multipart upload is. S3 allows at most 10,000 parts, so the part size
 * bounds the largest dump: small parts first keep memory low for the common small database,
 * larger ones later let 10,000 parts hold more than 1 TB. Three sizes, each used for a run of
 * part numbers; the last one runs to part 10,000.
 */
final class PartSizes {
    static final int MIB = 1024 * 1024;
    /** S3's limit on the number of parts of one object. */
    static final int MAX_PARTS = 10_000;
    /** 8 MiB up to 15.6 GiB, 64 MiB up to 140.6 GiB, then 160 MiB: 1,078 GiB in 10,000 parts. */
    static final PartSizes STANDARD = startingAt(8);

    /**
     * The standard sizes, none smaller than {@code smallestMib} ({@code AUTOBUS_UPLOAD_PART_MB}): fewer, larger parts
     * (fewer S3 requests) for an operator whose databases are large.
     */
    static PartSizes startingAt(int smallestMib) {
        return new PartSizes(Math.max(smallestMib, 8) * MIB, 2_000, Math.max(smallestMib, 64) * MIB, 2_000,
                Math.max(smallestMib, 160) * MIB);
    }

    private final int smallSize;
    private final int smallParts;
    private final int middleSize;
    private final int middleParts;
    private final int largeSize;

    PartSizes(int smallSize, int smallParts, int middleSize, int middleParts, int largeSize) {
        if (smallParts + middleParts > MAX_PARTS || smallSize > middleSize || middleSize > largeSize) {
            throw new IllegalArgumentException("part sizes only grow, within " + MAX_PARTS + " parts");
        }
        this.smallSize = smallSize;
        this.smallParts = smallParts;
        this.middleSize = middleSize;
        this.middleParts = middleParts;
        this.largeSize = largeSize;
    }

    /** The size of part {@code number}, counted from 1 as S3 does. */
    int sizeOf(int number) {
        if (number < 1 || number > MAX_PARTS) {
            throw new IllegalArgumentException("S3 part numbers go from 1 to " + MAX_PARTS + ", got " + number);
        }
        if (number <= smallParts) {
            return smallSize;
        }
        return number <= smallParts + middleParts ? middleSize : largeSize;
    }

    /** The largest part: the upload memory must hold at least one. */
    int largest() {
        return largeSize;
    }

    /** The largest object that fits in {@link #MAX_PARTS} parts. */
    long capacity() {
        return (long) smallSize * smallParts + (long) middleSize * middleParts + (long) largeSize * (MAX_PARTS - smallParts - middleParts);
    }
}
