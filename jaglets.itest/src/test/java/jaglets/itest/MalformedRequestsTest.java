package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand and more generated malformed requests (broken and truncated JSON, wrong types,
 * oversized bodies, bad ids and path tricks, wrong keys, garbage on the socket) against one host;
 * afterwards it still answers and every agent and record is as it was.
 */
class MalformedRequestsTest {
    private static final String KEY = "malformed-test-key";
    private static final int REQUESTS = 1200;
    private static final List<String> TEMPLATES = List.of(
            "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\",\"agent_id\":\"fresh\",\"state\":{\"count\":1}}",
            "{\"message\":{\"kind\":\"ping\",\"args\":{\"a\":[1,2,{\"b\":null}]},\"priority\":5},\"oneway\":false}",
            "{\"request\":{\"reason\":\"x\",\"policy\":{\"activate_on_message\":true,\"activate_at\":12.5}}}");
    private static final List<String> WRONG_TYPES = List.of(
            "{\"agent_class_name\":[]}", "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\",\"state\":\"text\"}",
            "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\",\"agent_id\":7}",
            "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\",\"bundle_version\":{}}",
            "{\"message\":{\"kind\":5}}", "{\"message\":{\"kind\":\"ping\",\"args\":[]}}",
            "{\"message\":{\"kind\":\"ping\",\"priority\":\"high\"}}", "{\"message\":{\"kind\":\"ping\"},\"no_delay\":1}",
            "{\"message\":{\"kind\":\"ping\"},\"timeout\":-3}", "{\"request\":[]}",
            "{\"request\":{\"policy\":{\"activate_at\":\"soon\"}}}", "{\"request\":{\"policy\":{\"activate_on_message\":\"no\"}}}",
            "null", "42", "\"string\"", "[]", "{\"message\":null}");
    private static final List<String> BAD_PATHS = List.of(
            "/agents/%2e%2e/state", "/agents/..%2f..%2fetc%2fpasswd", "/agents/" + "a".repeat(300),
            "/agents/%00", "/agents/nobody/messages/extra", "/agents//messages", "/agents/nobody/%2e%2e",
            "/agents/.hidden/state", "/agents/nobody;jsessionid=1", "/agents/%ff%fe", "/bundles/x", "/bundles/a/b/c",
            "/events?since=abc", "/events?limit=-5", "/agents?state=everything", "/agents?limit=99999999999",
            "/health/extra", "/..", "/%2e%2e/%2e%2e/etc/passwd");

    @TempDir
    Path home;

    @Test
    void hostSurvivesMalformedRequestsWithEveryAgentAndRecordIntact() throws Exception {
        try (HostProcess host = HostProcess.start(home, "fuzzed",
                Map.of("jaglets.api.key.env", "FUZZ_KEY", "jaglets.http.max.body", "32768"), Map.of("FUZZ_KEY", KEY))) {
            Http http = new Http(host.url(), KEY);
            HostProcess.awaitCondition(() -> http.get("/health").status() == 200, Duration.ofSeconds(30), "the API");
            for (String id : List.of("keep-a", "keep-b", "keep-c")) {
                assertEquals(200, http.post("/agents", "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\","
                        + "\"agent_id\":\"" + id + "\",\"state\":{\"count\":41}}").status());
                http.post("/agents/" + id + "/messages", "{\"message\":{\"kind\":\"incr\"}}");
            }
            http.post("/agents/keep-c/deactivate", "{\"request\":{\"policy\":{\"activate_on_message\":false,"
                    + "\"queue_messages_when_inactive\":false}}}");
            Path record = host.dataDir().resolve("inactive/keep-c.json");
            byte[] recordBefore = Files.readAllBytes(record);

            Random random = new Random(20261121L);
            int port = Integer.parseInt(host.url().substring(host.url().lastIndexOf(':') + 1));
            List<String> unexpected = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String outcome = oneMalformedRequest(random, http, host.url(), port, i);
                if (outcome != null) {
                    unexpected.add(outcome);
                }
            }
            assertTrue(unexpected.isEmpty(), unexpected.size() + " unexpected answers, e.g. "
                    + unexpected.subList(0, Math.min(5, unexpected.size())));

            assertTrue(host.isAlive());
            assertEquals(200, http.get("/health").status());
            for (String id : List.of("keep-a", "keep-b")) {
                assertEquals(42, http.get("/agents/" + id + "/state").body().path("state").path("count").asInt(), id);
                assertEquals("pong", http.post("/agents/" + id + "/messages", "{\"message\":{\"kind\":\"ping\"}}")
                        .body().path("result").asText());
            }
            assertArrayEquals(recordBefore, Files.readAllBytes(record), "the inactive record must be untouched");
            assertEquals(3, http.get("/agents?state=all").body().path("agents").size());
        }
    }

    @Test
    void slowClientsDoNotHoldTheHost() throws Exception {
        try (HostProcess host = HostProcess.start(home, "slow")) {
            Http http = new Http(host.url(), null);
            HostProcess.awaitCondition(() -> http.get("/health").status() == 200, Duration.ofSeconds(30), "the API");
            int port = Integer.parseInt(host.url().substring(host.url().lastIndexOf(':') + 1));
            List<Socket> stalled = new ArrayList<>();
            try {
                // more stalled connections than the server has worker threads (200)
                for (int i = 0; i < 300; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    String partial = i % 2 == 0 ? "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                            : "POST /agents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 1000\r\n\r\n{\"agent_class_name\":";
                    socket.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    stalled.add(socket);
                }
                long started = System.nanoTime();
                assertEquals(200, http.get("/health").status());
                assertEquals(200, http.post("/agents", "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\","
                        + "\"agent_id\":\"responsive\"}").status());
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(millis < 20_000, "the host answered only after " + millis + " ms");
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
            assertEquals(200, http.get("/agents/responsive").status());
        }
    }

    /** Sends one malformed request; returns a description if the answer was not a clean error. */
    private static String oneMalformedRequest(Random random, Http http, String base, int port, int n) throws Exception {
        int kind = random.nextInt(8);
        String target = random.nextBoolean() ? "keep-" + "abc".charAt(random.nextInt(3)) : "ghost-" + random.nextInt(50);
        switch (kind) {
            case 0 -> { // broken JSON: a strict prefix of a valid object, or bytes flipped in it
                String body = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
                body = random.nextBoolean() ? body.substring(0, 1 + random.nextInt(body.length() - 1)) : flip(random, body);
                return expectError(http.post(randomPostPath(random, target), body), n, true);
            }
            case 1 -> {
                return expectError(http.post(randomPostPath(random, target), WRONG_TYPES.get(random.nextInt(WRONG_TYPES.size()))),
                        n, false);
            }
            case 2 -> { // oversized body, with or without a declared length
                byte[] big = new byte[40_000 + random.nextInt(40_000)];
                java.util.Arrays.fill(big, (byte) 'x');
                HttpRequest.BodyPublisher publisher = random.nextBoolean() ? HttpRequest.BodyPublishers.ofByteArray(big)
                        : HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big));
                Http.Reply reply = http.send(http.builder("/agents").header("Content-Type", "application/json")
                        .POST(publisher).build());
                return reply.status() == 413 ? null : "#" + n + " oversized -> " + reply.status();
            }
            case 3 -> {
                String path = BAD_PATHS.get(random.nextInt(BAD_PATHS.size()));
                // a client of its own: Jetty may close the connection after refusing an ambiguous path
                Http own = new Http(base, KEY);
                HttpRequest request = own.builder("").uri(URI.create(base + path)).GET().build();
                Http.Reply reply = sendRaw(own, request);
                return reply == null || (reply.status() >= 400 && reply.status() < 500) ? null
                        : "#" + n + " " + path + " -> " + reply.status();
            }
            case 4 -> { // wrong or missing key
                Http stranger = new Http(base, random.nextBoolean() ? null : KEY + "x");
                Http.Reply reply = random.nextBoolean() ? stranger.get("/agents/" + target)
                        : stranger.post("/agents/" + target + "/dispose", "{}");
                return reply.status() == 401 ? null : "#" + n + " wrong key -> " + reply.status();
            }
            case 5 -> { // wrong method or content type
                String method = List.of("PUT", "PATCH", "DELETE").get(random.nextInt(3));
                Http.Reply reply = http.send(http.builder("/agents/" + target + "/messages")
                        .header("Content-Type", random.nextBoolean() ? "text/plain" : "application/xml")
                        .method(method, HttpRequest.BodyPublishers.ofString("{\"message\":{\"kind\":\"ping\"}}")).build());
                return reply.status() == 405 || reply.status() == 415 ? null : "#" + n + " " + method + " -> " + reply.status();
            }
            case 6 -> { // truncated body: fewer bytes than the declared length, then the socket closes
                String body = TEMPLATES.get(1);
                String head = "POST /agents/" + target + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + (body.length() + 50) + "\r\n\r\n";
                return raw(port, head + body, n);
            }
            default -> { // garbage on the socket
                byte[] junk = new byte[1 + random.nextInt(300)];
                random.nextBytes(junk);
                String text = random.nextBoolean() ? new String(junk, StandardCharsets.ISO_8859_1)
                        : "GET /" + "%".repeat(random.nextInt(5)) + " HTTP/9.9\r\nHost: \u0000\r\n\r\n";
                return raw(port, text, n);
            }
        }
    }

    private static String randomPostPath(Random random, String target) {
        String ghost = "ghost-" + random.nextInt(50);
        return switch (random.nextInt(5)) {
            case 0 -> "/agents";
            case 1 -> "/agents/" + target + "/messages";
            case 2 -> "/agents/" + ghost + "/deactivate";
            case 3 -> "/agents/" + ghost + "/activate";
            default -> "/agents/" + target + "/messages";
        };
    }

    private static String flip(Random random, String body) {
        char[] chars = body.toCharArray();
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
            chars[random.nextInt(chars.length)] = "{}[]\":,x\\".charAt(random.nextInt(9));
        }
        return new String(chars);
    }

    private static String expectError(Http.Reply reply, int n, boolean mayBeAccidentallyValid) {
        if (reply.status() == 200 && mayBeAccidentallyValid) {
            return null; // a flipped byte can leave valid JSON; the templates only do harmless things then
        }
        if (reply.status() >= 400 && reply.status() < 500 && reply.body().path("error_type").isTextual()) {
            return null;
        }
        return "#" + n + " -> " + reply.status() + " " + reply.body();
    }

    private static Http.Reply sendRaw(Http http, HttpRequest request) {
        try {
            return http.send(request);
        } catch (IllegalStateException e) {
            return null; // the client refused to send it, or the server closed the connection: fine
        }
    }

    /** Writes raw bytes, half-closes, and expects either a 4xx answer or a closed connection. */
    private static String raw(int port, String request, int n) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(12);
            if (answer.length == 0) {
                return null;
            }
            String status = new String(answer, StandardCharsets.ISO_8859_1);
            // 4xx, or 505 for a protocol version that is not HTTP/1.x
            return status.matches("HTTP/1\\.[01] (4\\d\\d|505)") ? null : "#" + n + " raw -> " + status;
        } catch (IOException e) {
            return null; // reset by the server: the connection was refused, nothing else happened
        }
    }
}
