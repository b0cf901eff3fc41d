package jaglets.relay.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hub's queues, answers, offline detection and timeouts, without HTTP and with a clock the test moves. */
class RelayHubTest {
    private final MovableClock clock = new MovableClock();

    private RelayHub hub(Duration deliveryTimeout, int queueLimit) {
        return new RelayHub("hub", Duration.ofSeconds(10), deliveryTimeout, queueLimit, clock);
    }

    private static ObjectNode health(String name) {
        ObjectNode health = Json.object();
        health.put("name", name);
        health.put("address", "http://hub:8765/relay/hosts/" + name);
        return health;
    }

    private static RelayRequest get(String path) {
        return new RelayRequest("GET", path, null, null, null);
    }

    private static JagletException failure(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (JagletException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the request was still waiting", e);
        }
        throw new AssertionError("the request did not fail");
    }

    @Test
    void aRequestIsAnsweredWithTheNodesReplyAndALateAnswerIsADuplicate() throws Exception {
        RelayHub hub = hub(Duration.ofSeconds(10), 10);
        hub.connect(health("b"));
        CompletableFuture<RelayReply> caller = CompletableFuture.supplyAsync(
                () -> hub.forward("b", new RelayRequest("POST", "/agents/x%20y/messages", "a=1", "application/json",
                        "{}".getBytes(StandardCharsets.UTF_8))));

        RelayHub.Delivery delivery = hub.poll("b", Duration.ofSeconds(10));

        assertNotNull(delivery);
        assertEquals("/agents/x%20y/messages", delivery.request().path());
        assertEquals("a=1", delivery.request().query());
        assertTrue(hub.answer(delivery.id(), new RelayReply(201, "text/plain", new byte[] {1, 2})));
        RelayReply reply = caller.get(10, TimeUnit.SECONDS);
        assertEquals(201, reply.status());
        assertEquals("text/plain", reply.contentType());
        assertArrayEquals(new byte[] {1, 2}, reply.body());
        assertFalse(hub.answer(delivery.id(), new RelayReply(200, null, null)), "a second answer is a duplicate");
        assertFalse(hub.answer("never-sent", new RelayReply(200, null, null)));
    }

    @Test
    void aRequestToAnUnknownNodeIsNotFound() {
        RelayHub hub = hub(Duration.ofSeconds(10), 10);
        hub.connect(health("b"));
        JagletException unknown = assertThrows(JagletException.class, () -> hub.forward("c", get("/health")));
        assertEquals(ErrorType.NOT_FOUND, unknown.type());
        assertTrue(unknown.getMessage().contains("'c'") && unknown.getMessage().contains("[b]"), unknown.getMessage());
        assertEquals(ErrorType.NOT_FOUND, assertThrows(JagletException.class,
                () -> hub.poll("c", Duration.ZERO)).type());
    }

    @Test
    void aNodeNotHeardFromForTheOfflineWindowIsRefusedAtOnce() {
        RelayHub hub = hub(Duration.ofSeconds(10), 10);
        hub.connect(health("b"));
        clock.advance(Duration.ofMillis(12_500));

        JagletException offline = assertThrows(JagletException.class, () -> hub.forward("b", get("/health")));

        assertEquals(ErrorType.REMOTE_HOST, offline.type());
        assertEquals("Relay target 'b' is offline/not polling (last seen 12.5s ago)", offline.getMessage());
        assertFalse(hub.online("b"));
        assertEquals(offline.getMessage(), hub.diagnostics().path("nodes").get(0).path("last_error").asText());
        hub.connect(health("b"));
        assertTrue(hub.online("b"), "a connect brings it back");
    }

    @Test
    void aWaitingRequestFailsAsSoonAsItsNodeGoesOffline() throws Exception {
        RelayHub hub = hub(Duration.ofSeconds(60), 10);
        hub.connect(health("b"));
        CompletableFuture<RelayReply> caller = CompletableFuture.supplyAsync(() -> hub.forward("b", get("/health")));
        Waits.awaitQueued(hub);

        clock.advance(Duration.ofSeconds(11));

        JagletException offline = failure(caller);
        assertEquals(ErrorType.REMOTE_HOST, offline.type());
        assertTrue(offline.getMessage().startsWith("Relay target 'b' is offline/not polling"), offline.getMessage());
        assertEquals(0, hub.diagnostics().path("nodes").get(0).path("queue_depth").asInt(), "it left the queue");
    }

    @Test
    void anUnansweredRequestTimesOut() throws Exception {
        RelayHub hub = hub(Duration.ofMillis(300), 10);
        hub.connect(health("b"));

        JagletException timeout = assertThrows(JagletException.class, () -> hub.forward("b", get("/agents")));

        assertEquals(ErrorType.TIMEOUT, timeout.type());
        assertEquals("Relay delivery to 'b' timed out after 0.3s (GET /agents)", timeout.getMessage());
        assertNull(hub.poll("b", Duration.ZERO), "nothing is left for the node to do");
    }

    @Test
    void aFullQueueIsRefused() throws Exception {
        RelayHub hub = hub(Duration.ofSeconds(10), 1);
        hub.connect(health("b"));
        CompletableFuture<RelayReply> first = CompletableFuture.supplyAsync(() -> hub.forward("b", get("/health")));
        Waits.awaitQueued(hub);

        JagletException full = assertThrows(JagletException.class, () -> hub.forward("b", get("/health")));

        assertEquals(ErrorType.REMOTE_HOST, full.type());
        assertEquals("Relay queue for 'b' is full (1 deliveries)", full.getMessage());
        RelayHub.Delivery delivery = hub.poll("b", Duration.ZERO);
        hub.answer(delivery.id(), new RelayReply(200, null, null));
        assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void aNewerPollOfTheSameNodeEndsTheOlderOne() throws Exception {
        RelayHub hub = hub(Duration.ofSeconds(10), 10);
        hub.connect(health("b"));
        CompletableFuture<RelayHub.Delivery> older = CompletableFuture.supplyAsync(() -> hub.poll("b", Duration.ofSeconds(30)));
        Waits.await(() -> hub.diagnostics().path("nodes").get(0).path("active_polls").asInt() == 1);

        CompletableFuture<RelayHub.Delivery> newer = CompletableFuture.supplyAsync(() -> hub.poll("b", Duration.ofSeconds(30)));

        assertNull(older.get(10, TimeUnit.SECONDS), "the older poll ends empty");
        CompletableFuture<RelayReply> caller = CompletableFuture.supplyAsync(() -> hub.forward("b", get("/health")));
        RelayHub.Delivery delivery = newer.get(10, TimeUnit.SECONDS);
        assertNotNull(delivery, "the newer poll gets the request");
        hub.answer(delivery.id(), new RelayReply(204, null, null));
        assertEquals(204, caller.get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void aDeliveryThatCouldNotBeWrittenGoesToTheNextPoll() throws Exception {
        RelayHub hub = hub(Duration.ofSeconds(10), 10);
        hub.connect(health("b"));
        CompletableFuture<RelayReply> caller = CompletableFuture.supplyAsync(() -> hub.forward("b", get("/health")));
        RelayHub.Delivery lost = hub.poll("b", Duration.ofSeconds(10));

        hub.undelivered(lost);

        RelayHub.Delivery again = hub.poll("b", Duration.ofSeconds(10));
        assertEquals(lost.id(), again.id());
        hub.answer(again.id(), new RelayReply(200, null, null));
        assertEquals(200, caller.get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void movementStepsAndLongMessagesWaitLongerThanOtherRequests() {
        RelayHub hub = hub(Duration.ofSeconds(30), 10);
        assertEquals(Duration.ofSeconds(30), hub.timeoutFor(get("/health")));
        assertEquals(RelaySettings.MOVE_TIMEOUT, hub.timeoutFor(new RelayRequest("POST", "/agents/a/dispatch", null, null, null)));
        assertEquals(RelaySettings.MOVE_TIMEOUT, hub.timeoutFor(new RelayRequest("POST", "/agents/a/retract", null, null, null)));
        assertEquals(RelaySettings.MOVE_TIMEOUT, hub.timeoutFor(new RelayRequest("POST", "/transfers/t1/commit", null, null, null)));
        assertEquals(Duration.ofSeconds(30), hub.timeoutFor(new RelayRequest("POST", "/transfers", null, null, null)));
        assertEquals(Duration.ofSeconds(95), hub.timeoutFor(new RelayRequest("POST", "/agents/a/messages", null,
                "application/json", "{\"timeout\": 90}".getBytes(StandardCharsets.UTF_8))));
        assertEquals(Duration.ofSeconds(30), hub.timeoutFor(new RelayRequest("POST", "/agents/a/messages", null,
                "application/json", "{\"timeout\": 1}".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aNodeNeedsANameOtherThanTheHubs() {
        RelayHub hub = hub(Duration.ofSeconds(10), 10);
        assertEquals(ErrorType.CONFLICT, assertThrows(JagletException.class, () -> hub.connect(health("hub"))).type());
        assertEquals(ErrorType.BAD_REQUEST, assertThrows(JagletException.class, () -> hub.connect(Json.object())).type());
    }

    /** Waiting for the hub's state with a deadline, never a bare sleep. */
    private static final class Waits {
        static void awaitQueued(RelayHub hub) {
            await(() -> hub.diagnostics().path("nodes").get(0).path("queue_depth").asInt() == 1);
        }

        static void await(java.util.function.BooleanSupplier condition) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for the hub");
                }
                Thread.onSpinWait();
            }
        }
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
