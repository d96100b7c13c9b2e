package io.autobus.storage;

import java.io.IOException;

/** What the store holds (or received) is not what was sent: the snapshot is corrupt and nothing is kept. */
public final class CorruptUploadException extends IOException {
    CorruptUploadException(String message) {
        super(message);
    }

    CorruptUploadException(String message, Throwable cause) {
        super(message, cause);
    }

    static CorruptUploadException differs(String location, String reported, StoredChecksum computed) {
        return new CorruptUploadException("the stored copy's checksum (" + computed.algorithm() + " " + reported + ", at " + location
                + ") differs from the one computed while uploading (" + computed.value() + "): the upload was corrupted;"
                + " the stored copy was deleted");
    }
}
