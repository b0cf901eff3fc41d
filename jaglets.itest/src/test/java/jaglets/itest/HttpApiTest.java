package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of the HTTP API on a real host, with paglets' shapes and jaglets' statuses. */
class HttpApiTest {
    @TempDir
    static Path home;
    @TempDir
    static Path jars;
    static HostProcess host;
    static Http http;

    @BeforeAll
    static void startHost() {
        host = HostProcess.start(home, "http", Map.of("jaglets.http.max.body", "65536"));
        http = new Http(host.url(), null);
        HostProcess.awaitCondition(() -> http.get("/health").status() == 200, java.time.Duration.ofSeconds(30),
                "the HTTP API");
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    private static String create(String id) {
        Http.Reply created = http.post("/agents", "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\","
                + "\"state_class_name\":\"ignored\",\"agent_id\":\"" + id + "\",\"state\":{\"count\":10}}");
        assertEquals(200, created.status(), created.body().toString());
        assertEquals(id, created.body().path("proxy").path("agent_id").asText());
        assertEquals(host.url(), created.body().path("proxy").path("host_url").asText());
        return id;
    }

    private static JsonNode send(String id, String body) {
        Http.Reply reply = http.post("/agents/" + id + "/messages", body);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    @Test
    void healthDescribesTheHost() {
        JsonNode health = http.get("/health").body();
        assertEquals("http", health.path("name").asText());
        assertEquals(host.url(), health.path("address").asText());
        assertTrue(health.path("capabilities").toString().contains("agents:message"));
        assertTrue(health.has("active_count") && health.has("inactive_count"));
    }

    @Test
    void agentLifecycleOverHttp() {
        String id = create("web-1");
        JsonNode summary = http.get("/agents/web-1").body();
        assertEquals("jaglets.examples.EchoJaglet", summary.path("class_name").asText());
        assertTrue(summary.path("active").asBoolean());
        assertTrue(summary.path("pid").asLong() > 0);
        assertEquals(0, summary.path("mailbox").path("queued_count").asInt());
        assertEquals("pong", send(id, "{\"message\":{\"kind\":\"ping\"}}").path("result").asText());
        assertEquals(11, send(id, "{\"message\":{\"kind\":\"incr\"}}").path("result").asInt());
        assertTrue(send(id, "{\"message\":{\"kind\":\"incr\"},\"oneway\":true}").path("result").isNull());
        // one message at a time, in order: once a later ping is answered, the one-way incr was handled
        assertEquals("pong", send(id, "{\"message\":{\"kind\":\"ping\"}}").path("result").asText());
        JsonNode state = http.get("/agents/web-1/state").body();
        assertEquals(12, state.path("state").path("count").asInt());

        JsonNode deactivated = http.post("/agents/web-1/deactivate",
                "{\"request\":{\"policy\":{\"activate_on_message\":false}}}").body();
        assertTrue(deactivated.path("ok").asBoolean());
        assertEquals("web-1", deactivated.path("proxy").path("agent_id").asText());
        JsonNode inactive = http.get("/agents/web-1").body();
        assertFalse(inactive.path("active").asBoolean());
        assertTrue(inactive.has("deactivated_at"));
        JsonNode queued = send(id, "{\"message\":{\"kind\":\"incr\",\"message_id\":\"m-1\"}}");
        assertEquals(true, queued.path("queued").asBoolean());
        assertEquals("m-1", queued.path("message_id").asText());
        Http.Reply noDelay = http.post("/agents/web-1/messages", "{\"message\":{\"kind\":\"ping\"},\"no_delay\":true}");
        assertEquals(400, noDelay.status());
        assertEquals("PagletInactiveError", noDelay.errorType());
        JsonNode inactiveState = http.get("/agents/web-1/state").body();
        assertEquals(1, inactiveState.path("queued_message_count").asInt());
        assertFalse(inactiveState.path("deactivation_policy").path("activate_on_message").asBoolean());

        assertEquals("web-1", http.post("/agents/web-1/activate", "{}").body().path("proxy").path("agent_id").asText());
        assertEquals(14, send(id, "{\"message\":{\"kind\":\"incr\"}}").path("result").asInt());
        assertTrue(http.post("/agents/web-1/dispose", "").body().path("ok").asBoolean());
        Http.Reply gone = http.get("/agents/web-1");
        assertEquals(404, gone.status());
        assertEquals("InvalidAgentError", gone.errorType());
    }

    @Test
    void reservedDeactivateKindDeactivates() {
        String id = create("web-reserved");
        JsonNode reply = send(id, "{\"message\":{\"kind\":\"_deactivate\"}}");
        assertTrue(reply.path("deactivated").asBoolean());
        assertEquals(id, reply.path("proxy").path("agent_id").asText());
        assertFalse(http.get("/agents/" + id).body().path("active").asBoolean());
    }

    @Test
    void binaryValuesTravelTagged() {
        String id = create("web-binary");
        JsonNode reply = send(id, "{\"message\":{\"kind\":\"echo\",\"args\":{\"blob\":"
                + "{\"__paglets_binary__\":\"bytes\",\"base64\":\"AAEC/w==\"}}}}");
        assertEquals("AAEC/w==", reply.path("result").path("blob").path("base64").asText());
        assertEquals("bytes", reply.path("result").path("blob").path("__paglets_binary__").asText());
    }

    @Test
    void listingsPageAndEventsFollow() {
        for (int i = 0; i < 5; i++) {
            create("page-" + i);
        }
        JsonNode first = http.get("/agents?state=all&limit=2").body();
        assertEquals(2, first.path("agents").size());
        assertEquals(2, first.path("next_offset").asInt());
        JsonNode withState = http.get("/agents?include_state=true&limit=1").body();
        assertTrue(withState.path("agents").get(0).has("state"));
        JsonNode events = http.get("/events?since=0&limit=1000").body().path("events");
        assertTrue(events.size() > 0);
        long last = events.get(events.size() - 1).path("event_id").asLong();
        assertEquals(0, http.get("/events?since=" + last).body().path("events").size());
        assertEquals(400, http.get("/agents?state=sleeping").status());
        assertEquals(400, http.get("/events?since=-1").status());
    }

    @Test
    void bundlesAreListedUploadedAndRemoved() throws Exception {
        JsonNode list = http.get("/bundles").body().path("bundles");
        assertTrue(list.toString().contains("jaglets.examples"));
        Path jar = Bundles.withVersion(jars, "3.0.0");
        Http.Reply uploaded = http.send(http.builder("/bundles").header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofFile(jar)).build());
        assertEquals(200, uploaded.status(), uploaded.body().toString());
        assertEquals("3.0.0", uploaded.body().path("bundle").path("version").asText());
        assertEquals(200, http.post("/agents", "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\","
                + "\"agent_id\":\"v3\",\"bundle_version\":\"3.0.0\"}").status());
        Http.Reply refused = http.delete("/bundles/jaglets.examples/3.0.0");
        assertEquals(409, refused.status());
        assertEquals("ConflictError", refused.errorType());
        http.post("/agents/v3/dispose", "{}");
        assertEquals(200, http.delete("/bundles/jaglets.examples/3.0.0").status());
        Http.Reply wrongType = http.send(http.builder("/bundles").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(415, wrongType.status());
    }

    @Test
    void badRequestsGetTheRightStatus() {
        assertStatus(404, "NotFoundError", http.get("/nowhere"));
        assertStatus(404, "NotFoundError", http.get("/agents/x/y/z"));
        assertStatus(405, "MethodNotAllowedError", http.delete("/health"));
        assertStatus(404, "InvalidAgentError", http.get("/agents/nobody"));
        assertStatus(400, "BadRequestError", http.post("/agents", "{}"));
        assertStatus(400, "BadRequestError", http.post("/agents", "{\"agent_class_name\":42}"));
        assertStatus(400, "BadRequestError", http.post("/agents", "{\"agent_class_name\":\"a\",\"state\":[1]}"));
        assertStatus(400, "BadRequestError", http.post("/agents", "{not json"));
        assertStatus(400, "BadRequestError", http.post("/agents", "[1,2]"));
        assertStatus(400, "CodeError", http.post("/agents", "{\"agent_class_name\":\"no.Such\"}"));
        create("web-bad");
        assertStatus(400, "BadRequestError", http.post("/agents/web-bad/messages", "{\"message\":{\"kind\":\"ping\"},\"oneway\":\"yes\"}"));
        assertStatus(400, "BadRequestError", http.post("/agents/web-bad/messages", "{\"message\":\"ping\"}"));
        assertStatus(400, "BadRequestError", http.post("/agents/web-bad/messages", "{\"message\":{\"kind\":\"ping\",\"priority\":99}}"));
        assertStatus(422, "NotHandledError", http.post("/agents/web-bad/messages", "{\"message\":{\"kind\":\"nope\"}}"));
        assertStatus(415, "UnsupportedMediaTypeError", http.send(http.builder("/agents").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
        assertStatus(413, "PayloadTooLargeError", http.post("/agents", "{\"agent_class_name\":\"" + "x".repeat(70_000) + "\"}"));
        assertEquals("pong", send("web-bad", "{\"message\":{\"kind\":\"ping\"}}").path("result").asText());
    }

    static void assertStatus(int status, String type, Http.Reply reply) {
        assertEquals(status, reply.status(), reply.body().toString());
        assertEquals(type, reply.errorType(), reply.body().toString());
        assertTrue(reply.body().path("error").asText().length() > 0);
        assertEquals("application/json", reply.raw().headers().firstValue("Content-Type").orElse("").split(";")[0]);
    }
}
