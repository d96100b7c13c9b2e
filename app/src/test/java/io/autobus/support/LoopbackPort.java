package io.autobus.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP port on this machine that counts who connects: silent (accepts and never answers), or
 * forwarding every connection to a port on 127.0.0.1. Binds loopback addresses only.
 */
public final class LoopbackPort implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private LoopbackPort(InetAddress address, int forwardTo) {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException(address + " is not a loopback address");
        }
        try {
            server = new ServerSocket(0, 50, address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket accepted = server.accept();
                    connections.incrementAndGet();
                    open.add(accepted);
                    if (forwardTo > 0) {
                        forward(accepted, forwardTo);
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    /** Accepts connections and never answers: what a filtered or busy port looks like to a client. */
    public static LoopbackPort silent(InetAddress address) {
        return new LoopbackPort(address, 0);
    }

    /** Forwards every connection to {@code 127.0.0.1:port}. */
    public static LoopbackPort forwarding(InetAddress address, int port) {
        return new LoopbackPort(address, port);
    }

    /** True where this machine can listen on {@code ::1}. */
    public static boolean ipv6() {
        try (var probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return probe.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
    public static int closedPort() {
        try (var probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    private void forward(Socket client, int port) throws IOException {
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
        open.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the other side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        open.forEach(LoopbackPort::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing
        }
    }
}
