package io.autobus.backup;

import io.autobus.dump.Dump;
import java.io.InputStream;

/**
 * A verification that restores a snapshot into a scratch database while it is being stored,
 * so its verdict is known when the upload ends, without reading the stored copy back across
 * the ocean. It may give up (no room to keep up, no verification server free): then the
 * snapshot is verified after upload, as before, and says why.
 */
public interface InFlight extends AutoCloseable {
    /** No verification in flight: every snapshot is verified after upload. */
    InFlight NONE = new InFlight() {
        @Override
        public InputStream tee(Dump dump, InputStream stored) {
            return stored;
        }

        @Override
        public void ended() {
        }

        @Override
        public String finish(Snapshot completed) {
            return "";
        }

        @Override
        public void close() {
        }
    };

    /** The stream to store, copying what is read from it to the restore (before any encryption: the customer's file, opened). */
    InputStream tee(Dump dump, InputStream stored);

    /** The stored stream was read to its end. */
    void ended();

    /**
     * After the snapshot was completed: compares the restore with its statistics and records the verdict (and tells the
     * owner, as a verification after upload does).
     *
     * @return null when the verdict is recorded; otherwise why there is none (empty when nothing was tried in flight),
     *         and the snapshot is to be verified after upload
     */
    String finish(Snapshot completed);

    /** Ends it; a restore still running (the backup failed) is stopped and its scratch database dropped. */
    @Override
    void close();
}
