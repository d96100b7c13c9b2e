package io.autobus.restore;

import io.autobus.verify.StdinFeeder;
import java.io.IOException;
import java.io.InputStream;

/**
 * The stored object, downloaded only once the restore tool reads it: a restore that stops before
 * its tool runs (no client installed, a target that refuses) holds no connection to the store.
 */
final class OpenedWhenRead extends InputStream {
    private final StdinFeeder.Source source;
    private InputStream in;
    private boolean closed;

    OpenedWhenRead(StdinFeeder.Source source) {
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        return opened().read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return opened().read(buffer, offset, length);
    }

    @Override
    public void close() throws IOException {
        InputStream open;
        synchronized (this) {
            closed = true;
            open = in;
        }
        if (open != null) {
            open.close();
        }
    }

    /** Opened by the tool's feeder thread, closed by the restore's: never opened once closed. */
    private synchronized InputStream opened() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
        if (in == null) {
            in = source.open();
        }
        return in;
    }
}
