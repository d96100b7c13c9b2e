package io.autobus.http;

import io.autobus.logging.RepeatedLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} open connections per client address: one more is closed as soon as it
 * opens. Jetty 12 only limits connections overall ({@code NetworkConnectionLimit}), and its
 * per-address handlers limit requests, not the connections a client holds open. The address is
 * the TCP peer's: on Heroku that is the router, so the limit is off there (see Settings).
 */
public final class ConnectionsPerAddress implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsPerAddress.class);

    private final int max;
    private final Map<InetAddress, Integer> open = new HashMap<>();
    /** Each counted connection's address: once it is closed, its socket no longer tells. */
    private final Map<Connection, InetAddress> counted = new HashMap<>();
    private final RepeatedLog log = new RepeatedLog(LOG, Duration.ofMinutes(10));

    public ConnectionsPerAddress(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = addressOf(connection);
        if (address == null) {
            return;
        }
        int count;
        synchronized (this) {
            counted.put(connection, address);
            count = open.merge(address, 1, Integer::sum);
        }
        if (count > max) {
            // Counted until onClosed like any other, so the tally stays right.
            log.warn("connections:" + address.getHostAddress(), "event=http_connection_refused remote=" + address.getHostAddress()
                    + " open=" + (count - 1) + " limit=" + max + " (AUTOBUS_HTTP_CONNECTIONS_PER_ADDRESS)");
            connection.getEndPoint().close();
        }
    }

    @Override
    public synchronized void onClosed(Connection connection) {
        InetAddress address = counted.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
        }
    }

    private static InetAddress addressOf(Connection connection) {
        return connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
    }
}
