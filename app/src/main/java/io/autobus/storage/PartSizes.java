package io.autobus.storage;

/**
 * How big each part of a multipart upload is. S3 allows at most 10,000 parts, so the part size
 * bounds the largest dump: small parts first keep memory low for the common small database,
 * larger ones later let 10,000 parts hold more than 500 GB.
 */
final class PartSizes {
    static final int MIB = 1024 * 1024;
    /** S3's limit on the number of parts of one object. */
    static final int MAX_PARTS = 10_000;
    static final PartSizes STANDARD = new PartSizes(8 * MIB, 2_000, 64 * MIB);

    private final int smallSize;
    private final int smallParts;
    private final int largeSize;

    PartSizes(int smallSize, int smallParts, int largeSize) {
        this.smallSize = smallSize;
        this.smallParts = smallParts;
        this.largeSize = largeSize;
    }

    /** The size of part {@code number}, counted from 1 as S3 does. */
    int sizeOf(int number) {
        if (number < 1 || number > MAX_PARTS) {
            throw new IllegalArgumentException("S3 part numbers go from 1 to " + MAX_PARTS + ", got " + number);
        }
        return number <= smallParts ? smallSize : largeSize;
    }

    /** The largest object that fits in {@link #MAX_PARTS} parts. */
    long capacity() {
        return (long) smallSize * smallParts + (long) largeSize * (MAX_PARTS - smallParts);
    }
}
