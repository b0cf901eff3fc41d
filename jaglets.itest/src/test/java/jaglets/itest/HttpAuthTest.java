package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host with an API key: every route needs it, and the key never shows up. */
class HttpAuthTest {
    private static final String KEY = "s3cret-key-for-tests";

    @TempDir
    Path home;

    @Test
    void everyRouteNeedsTheBearerKey() throws Exception {
        try (HostProcess host = HostProcess.start(home, "secured", Map.of("jaglets.api.key.env", "TEST_HOST_KEY"),
                Map.of("TEST_HOST_KEY", KEY))) {
            Http anonymous = new Http(host.url(), null);
            Http wrong = new Http(host.url(), "not-the-key");
            Http right = new Http(host.url(), KEY);
            HostProcess.awaitCondition(() -> right.get("/health").status() == 200, Duration.ofSeconds(30), "the API");
            for (String path : new String[] {"/health", "/agents", "/events", "/bundles", "/nowhere", "/agents/x"}) {
                Http.Reply denied = anonymous.get(path);
                assertEquals(401, denied.status(), path);
                assertEquals("AuthenticationError", denied.errorType());
                assertEquals("Bearer", denied.raw().headers().firstValue("WWW-Authenticate").orElse(""));
                assertEquals(401, wrong.get(path).status(), path);
            }
            // the key is checked before the body is read: a huge body without the key is still a 401
            assertEquals(401, anonymous.post("/agents", "{\"agent_class_name\":\"" + "x".repeat(200_000) + "\"}").status());
            assertEquals(401, wrong.post("/agents", "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\"}").status());
            assertEquals(200, right.post("/agents", "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\","
                    + "\"agent_id\":\"guarded\"}").status());
            assertTrue(right.get("/health").body().path("auth_required").asBoolean());
            assertFalse(right.get("/events?limit=1000").body().toString().contains(KEY));
            host.stop();
            assertFalse(Files.readString(host.log()).contains(KEY), "the key must never be logged");
        }
    }
}
