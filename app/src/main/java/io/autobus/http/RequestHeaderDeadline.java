package io.autobus.http;

import io.autobus.logging.RepeatedLog;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request line and headers have not all arrived within the limit.
 * Jetty's idle timeout starts again with every byte, so a client sending its headers a byte
 * every few seconds (slowloris) would otherwise keep the connection for hours. Jetty has no
 * setting for this; one sweep over the open connections (every tenth of the limit, at most
 * 1 s) reads each one's request parser, whose state is volatile. A connection waiting between
 * requests is left to the idle timeout; a request whose headers are in is not touched.
 */
public final class RequestHeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHeaderDeadline.class);
    private static final long NOT_READING = Long.MIN_VALUE;

    private final long limitNanos;
    private final Duration sweepEvery;
    private final Map<Connection, AtomicLong> readingSince = new ConcurrentHashMap<>();
    private final RepeatedLog log = new RepeatedLog(LOG, Duration.ofMinutes(10));
    private ScheduledExecutorService sweeper;

    public RequestHeaderDeadline(Duration limit) {
        this.limitNanos = limit.toNanos();
        Duration tenth = limit.dividedBy(10);
        this.sweepEvery = tenth.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : tenth;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection) {
            readingSince.put(connection, new AtomicLong(NOT_READING));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        readingSince.remove(connection);
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("http-header-deadline").factory());
        long period = Math.max(1, sweepEvery.toMillis());
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        readingSince.forEach((connection, since) -> {
            var parser = ((HttpConnection) connection).getParser();
            boolean readingHeaders = !parser.isStart() && parser.inHeaderState();
            if (!readingHeaders) {
                since.set(NOT_READING);
            } else if (since.get() == NOT_READING) {
                since.set(now);
            } else if (now - since.get() >= limitNanos) {
                String remote = connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress address
                        ? address.getAddress().getHostAddress() : "unknown";
                log.warn("slow-headers:" + remote, "event=http_slow_headers_closed remote=" + remote
                        + " limit_s=" + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " (AUTOBUS_HTTP_HEADER_TIMEOUT)");
                connection.getEndPoint().close();
            }
        });
    }
}
