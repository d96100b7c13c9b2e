package io.autobus.support;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Counts the streams a store hands out, and those closed again ({@link InterceptedStore#onOpen}). */
public final class OpenStreams implements UnaryOperator<InputStream> {
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    @Override
    public InputStream apply(InputStream stored) {
        opened.incrementAndGet();
        return new FilterInputStream(stored) {
            private boolean done;

            @Override
            public void close() throws IOException {
                if (!done) {
                    done = true;
                    closed.incrementAndGet();
                }
                super.close();
            }
        };
    }

    /** How many were opened, closed or not. */
    public int opened() {
        return opened.get();
    }

    /** How many were opened and are not closed. */
    public int stillOpen() {
        return opened.get() - closed.get();
    }
}
