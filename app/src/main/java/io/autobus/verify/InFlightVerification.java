package io.autobus.verify;

import io.autobus.backup.InFlight;
import io.autobus.backup.Snapshot;
import io.autobus.dump.Dump;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a snapshot into a scratch database while it is being stored: the stream the store
 * reads is teed through a {@link PacedPipe} into the engine's restore tool (the same restore, on
 * the same servers, as a verification after upload), and the counts are compared once the
 * snapshot is completed. The copy is teed before any encryption, so the verdict is about the file
 * the customer restores; the stored copy itself is proven by the store's checksum.
 */
final class InFlightVerification implements InFlight {
    private static final Logger LOG = LoggerFactory.getLogger(InFlightVerification.class);
    /**
     * The copy's buffer, one per backup in flight (four on a worker by default, within a dyno's heap); also the
     * largest table of contents read in flight (a larger one is verified after upload).
     */
    static final int BUFFER_BYTES = 4 * 1024 * 1024;

    private final SnapshotVerifier verifier;
    private final Snapshot pending;
    private final PacedPipe pipe;
    private final Clock clock;
    private final CompletableFuture<Snapshot> completed = new CompletableFuture<>();
    private final CompletableFuture<Optional<Verdict>> outcome = new CompletableFuture<>();
    private volatile Instant started;

    InFlightVerification(SnapshotVerifier verifier, Snapshot pending, Duration paceLimit, int bufferBytes, Clock clock) {
        this.verifier = verifier;
        this.pending = pending;
        this.pipe = new PacedPipe(bufferBytes, paceLimit);
        this.clock = clock;
    }

    @Override
    public InputStream tee(Dump dump, InputStream stored) {
        started = clock.instant();
        Snapshot atDump = pending.withServerVersion(dump.serverVersion());
        Thread.ofVirtual().name("verify-in-flight-" + pending.id()).start(() -> {
            try {
                outcome.complete(verifier.verifyInFlight(atDump, new PipeSource()));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            } finally {
                pipe.readerDone(); // a verification that stopped early (no slot, an unverifiable archive) must not hold the upload
            }
        });
        return new FilterInputStream(stored) {
            private boolean copying = true;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                int n = super.read(bytes, offset, length);
                if (n > 0 && copying) {
                    copying = pipe.write(bytes, offset, n);
                }
                return n;
            }
        };
    }

    @Override
    public void ended() {
        pipe.end();
    }

    @Override
    public String finish(Snapshot snapshot) {
        String notInFlight = verdictInFlight(snapshot);
        if (notInFlight != null) {
            verifier.noVerdictInFlight(pending); // not running until the check after upload starts
        }
        return notInFlight;
    }

    private String verdictInFlight(Snapshot snapshot) {
        completed.complete(snapshot);
        Optional<Verdict> verdict;
        try {
            verdict = outcome.get();
        } catch (ExecutionException e) {
            LOG.warn("event=verify_in_flight_error snapshot={}", pending.id(), e.getCause());
            return "the verification in flight could not run: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        String abandoned = pipe.abandoned();
        if (abandoned != null) {
            return abandoned;
        }
        if (verdict.isEmpty()) {
            return "no verification server or slot was free while the dump ran";
        }
        verifier.record(snapshot, verdict.get(), started, "in_flight");
        return null;
    }

    @Override
    public void close() {
        if (started == null) {
            return; // the dump never started: nothing was teed, no restore runs
        }
        boolean backupFailed = !completed.isDone();
        if (backupFailed) {
            pipe.abandon("the backup did not complete");
            completed.cancel(false);
        }
        try {
            outcome.get(); // the scratch database is dropped before the backup's job ends
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            // told in finish(), or the backup failed anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (backupFailed) {
            verifier.noVerdictInFlight(pending);
        }
    }

    /** The dump on its way to the store, as the restore reads it. */
    private final class PipeSource implements SnapshotVerifier.Source {
        @Override
        public InputStream head() throws IOException {
            return new ByteArrayInputStream(pipe.head());
        }

        @Override
        public InputStream bytes() {
            return pipe.reader();
        }

        @Override
        public String rest(InputStream bytes) {
            return null; // closing the reader stops the copy; the store's checksum proves the stored bytes
        }

        @Override
        public Snapshot completed() {
            try {
                return completed.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
