package jaglets.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RepeatableCalls against a real HTTP server on loopback. */
class RepeatableCallsTest {
    private HttpServer server;
    private final AtomicReference<String> seen = new AtomicReference<>();
    private final AtomicReference<byte[]> received = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/echo", exchange -> {
            received.set(exchange.getRequestBody().readAllBytes());
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            answer(exchange, 200, received.get());
        });
        server.createContext("/missing", exchange -> answer(exchange, 404,
                "{\"error_type\":\"InvalidAgentError\"}".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/silent", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, new byte[0]);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void aSmallBodyAndTheHeadersArriveAndTheAnswerIsRead() throws IOException {
        byte[] body = "{\"settle\":0}".getBytes(StandardCharsets.UTF_8);
        RepeatableCalls.Response response = RepeatableCalls.call(uri("/echo"), "POST",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer k"), body, Duration.ofSeconds(5));
        assertEquals(200, response.status());
        assertArrayEquals(body, response.body());
        assertEquals("POST application/json Bearer k", seen.get());
    }

    @Test
    void aLargeBodyIsStreamedWhole() throws IOException {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(body);
        RepeatableCalls.Response response = RepeatableCalls.call(uri("/echo"), "POST",
                Map.of("Content-Type", "application/x-jackson-smile"), body, Duration.ofSeconds(10));
        assertEquals(200, response.status());
        assertArrayEquals(body, received.get());
        assertArrayEquals(body, response.body());
    }

    @Test
    void anErrorStatusComesBackWithItsBody() throws IOException {
        RepeatableCalls.Response response = RepeatableCalls.call(uri("/missing"), "GET", Map.of(), null,
                Duration.ofSeconds(5));
        assertEquals(404, response.status());
        assertEquals("{\"error_type\":\"InvalidAgentError\"}", new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(30)
    void aSilentServerTimesOut() {
        assertThrows(SocketTimeoutException.class, () -> RepeatableCalls.call(uri("/silent"), "GET", Map.of(), null,
                Duration.ofMillis(300)));
    }
}
