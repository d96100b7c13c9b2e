package io.autobus.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.support.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Raw sockets against the web server with short limits: request headers must be in within
 * 2 s, a silent connection is closed after 6 s, and one address holds at most 4 connections.
 */
class SlowClientsTest {
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(6);
    private static final TestApp APP = TestApp.withEnvironment(Map.of(
            "AUTOBUS_HTTP_HEADER_TIMEOUT", "2s", "AUTOBUS_HTTP_IDLE_TIMEOUT", "6s", "AUTOBUS_HTTP_CONNECTIONS_PER_ADDRESS", "4"));

    @Test
    void a_client_that_sends_its_headers_a_byte_at_a_time_is_disconnected_at_the_header_timeout() throws Exception {
        try (var socket = connect()) {
            long started = System.nanoTime();
            // A byte every 250 ms: the idle timeout (6 s) never fires, only the bound on the header read can.
            var trickle = Thread.ofVirtual().start(() -> {
                byte[] request = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".concat("a".repeat(1000)).getBytes(StandardCharsets.US_ASCII);
                try {
                    for (byte b : request) {
                        socket.getOutputStream().write(b);
                        socket.getOutputStream().flush();
                        Thread.sleep(250);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server hung up, as it should
                }
            });

            assertThat(closedWithin(socket, Duration.ofSeconds(10))).as("the server closed the connection").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            trickle.interrupt();

            assertThat(took).isBetween(HEADER_TIMEOUT.minusMillis(300), HEADER_TIMEOUT.plusSeconds(2)).isLessThan(IDLE_TIMEOUT);
        }
    }

    @Test
    void a_connection_that_sends_nothing_is_closed_at_the_idle_timeout() throws Exception {
        try (var socket = connect()) {
            long started = System.nanoTime();

            assertThat(closedWithin(socket, IDLE_TIMEOUT.plusSeconds(5))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(IDLE_TIMEOUT.minusMillis(500), IDLE_TIMEOUT.plusSeconds(3));
        }
    }

    @Test
    void one_address_holds_at_most_four_connections_and_the_held_ones_go_on_working() throws Exception {
        // Connections of the tests before are counted out a moment after they closed.
        var held = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> served(4), list -> list != null);
        try {
            try (var fifth = connect()) {
                assertThat(closedWithin(fifth, Duration.ofSeconds(2))).as("the fifth is closed at once").isTrue();
            }
            for (var socket : held) {
                assertThat(answer(socket)).as("the held ones are still open").startsWith("HTTP/1.1 200");
            }

            held.removeLast().close();
            assertThat(eventuallyServed()).as("a freed place takes a new connection").isTrue();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** {@code count} open connections that were each answered, or null (and none open) when one was not. */
    private static List<Socket> served(int count) throws IOException {
        var sockets = new ArrayList<Socket>();
        for (int i = 0; i < count; i++) {
            sockets.add(connect());
        }
        for (var socket : sockets) {
            if (!answer(socket).startsWith("HTTP/1.1 200")) {
                for (var opened : sockets) {
                    opened.close();
                }
                return null;
            }
        }
        return sockets;
    }

    private static Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), APP.app.port());
    }

    /** A whole request on a kept-alive connection; the status line of the answer ("" when the server hung up). */
    private static String answer(Socket socket) {
        try {
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            var head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c == -1) {
                    return "";
                }
                head.append((char) c);
            }
            var length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
            return head.substring(0, head.indexOf("\r\n"));
        } catch (IOException hungUp) {
            return "";
        }
    }

    /** A new connection is answered (the server notices the closed one a moment later). */
    private static boolean eventuallyServed() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try (var socket = connect()) {
                if (answer(socket).startsWith("HTTP/1.1 200")) {
                    return true;
                }
            } catch (IOException refused) {
                // closed at once: the old one is not counted out yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** True when the server closes (end of stream or reset) before {@code within}. */
    private static boolean closedWithin(Socket socket, Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            InputStream in = socket.getInputStream();
            while (in.read() != -1) {
                // an answer would be unexpected; read to the end
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }
}
