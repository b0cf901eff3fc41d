package jaglets.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two peers over a real connected pair of Unix domain sockets. A peer whose reads block its
 * writes would hang inside {@code request()}, so each test runs under a timeout on its own thread.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RpcPeerTest {

    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private RpcPeer host;
    private RpcPeer child;
    private TestHandler hostHandler;
    private TestHandler childHandler;
    private final AtomicInteger threadCount = new AtomicInteger();
    /** Threads that send requests. */
    private final ExecutorService senders = Executors.newFixedThreadPool(4,
            r -> new Thread(r, "rpc-test-sender-" + threadCount.incrementAndGet()));
    /** Threads that answer {@code async-echo}, apart from the senders so neither starves the other. */
    private final ExecutorService answerers = Executors.newFixedThreadPool(2,
            r -> new Thread(r, "rpc-test-answerer-" + threadCount.incrementAndGet()));

    /**
     * Answers {@code echo} with {@code {"by": peer, "body": body}} on the reader thread,
     * {@code async-echo} the same from another thread, {@code fail} with a typed error,
     * {@code throw} by throwing, and never answers {@code hold}.
     */
    private final class TestHandler implements RpcPeer.Handler {
        final String peer;
        final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch sleeping = new CountDownLatch(1);
        final CountDownLatch wake = new CountDownLatch(1);

        TestHandler(String peer) {
            this.peer = peer;
        }

        @Override
        public void onRequest(String op, JsonNode body, RpcPeer.Reply reply) {
            switch (op) {
                case "echo" -> reply.ok(echo(body));
                case "async-echo" -> answerers.execute(() -> reply.ok(echo(body)));
                case "fail" -> reply.fail(new JagletException(ErrorType.NOT_HANDLED, "no handler for " + body.asText()));
                case "throw" -> throw new IllegalStateException("handler broke");
                case "hold" -> holding.countDown();
                case "ask-back" -> askBack(body, reply);
                case "on-reader" -> self().runOnReader(() -> reply.ok(withThread(echo(body))));
                case "ask-back-on-reader" -> self().runOnReader(() -> askBackOnReader(body, reply));
                case "sleep-on-reader" -> self().runOnReader(() -> sleepOnReader(reply));
                default -> reply.fail(new JagletException(ErrorType.BAD_REQUEST, "unknown op " + op));
            }
        }

        /**
         * Runs on the reading thread after handing reading over: asks the other side and waits
         * for that reply on this same channel, then leaves its thread interrupted.
         */
        private void askBack(JsonNode body, RpcPeer.Reply reply) {
            RpcPeer self = peer.equals("host") ? host : child;
            self.continueReadingElsewhere();
            try {
                JsonNode back = self.request("echo", body).get(WAIT_SECONDS, TimeUnit.SECONDS);
                ObjectNode answer = echo(back);
                answer.put("thread", Thread.currentThread().getName());
                reply.ok(answer);
            } catch (Exception e) {
                reply.fail(e);
            }
            Thread.currentThread().interrupt();
        }

        private RpcPeer self() {
            return peer.equals("host") ? host : child;
        }

        private ObjectNode withThread(ObjectNode answer) {
            answer.put("thread", Thread.currentThread().getName());
            answer.put("thread_id", Thread.currentThread().getId());
            return answer;
        }

        /** Work on the reader that waits for a reply on its own channel. */
        private void askBackOnReader(JsonNode body, RpcPeer.Reply reply) {
            try {
                reply.ok(withThread(echo(self().request("echo", body).get(WAIT_SECONDS, TimeUnit.SECONDS))));
            } catch (Exception e) {
                reply.fail(e);
            }
        }

        /** Work on the reader that neither sends nor returns until {@link #wake} is released. */
        private void sleepOnReader(RpcPeer.Reply reply) {
            sleeping.countDown();
            try {
                reply.ok(withThread(echo(text(String.valueOf(wake.await(WAIT_SECONDS, TimeUnit.SECONDS))))));
            } catch (InterruptedException e) {
                reply.fail(e);
            }
        }

        private ObjectNode echo(JsonNode body) {
            ObjectNode answer = Json.object();
            answer.put("by", peer);
            answer.set("body", body);
            return answer;
        }

        @Override
        public void onEvent(String op, JsonNode body) {
            ObjectNode event = Json.object();
            event.put("op", op);
            event.set("body", body);
            events.add(event);
        }

        @Override
        public void onClosed() {
            closed.countDown();
        }
    }

    @BeforeEach
    void connect() throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("rpc.sock"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(address);
        SocketChannel hostEnd = SocketChannel.open(address);
        SocketChannel childEnd = server.accept();
        host = new RpcPeer(hostEnd, "host");
        child = new RpcPeer(childEnd, "child");
        hostHandler = new TestHandler("host");
        childHandler = new TestHandler("child");
        host.start(hostHandler);
        child.start(childHandler);
    }

    @AfterEach
    void disconnect() throws IOException {
        host.close();
        child.close();
        server.close();
        senders.shutdownNow();
        answerers.shutdownNow();
    }

    private static JsonNode text(String value) {
        return Json.MAPPER.getNodeFactory().textNode(value);
    }

    private static JsonNode await(CompletableFuture<JsonNode> reply) throws Exception {
        return reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static JagletException failureOf(CompletableFuture<JsonNode> reply) {
        ExecutionException error = assertThrows(ExecutionException.class, () -> await(reply));
        return assertInstanceOf(JagletException.class, error.getCause());
    }

    @Test
    void requestsAreAnsweredInBothDirections() throws Exception {
        JsonNode fromChild = await(host.request("echo", text("to child")));
        JsonNode fromHost = await(child.request("echo", text("to host")));

        assertEquals("child", fromChild.get("by").asText());
        assertEquals("to child", fromChild.get("body").asText());
        assertEquals("host", fromHost.get("by").asText());
        assertEquals("to host", fromHost.get("body").asText());
    }

    private static byte[] bytes(int size, int seed) {
        byte[] data = new byte[size];
        new java.util.Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void aFrameOfManyChunksArrivesWholeBothWays() throws Exception {
        byte[] big = bytes(5 * 1024 * 1024 + 17, 1);
        ObjectNode body = Json.object();
        body.put("name", "big");
        body.set("data", Json.toTree(big));

        JsonNode answer = await(host.request("echo", body));

        assertEquals("child", answer.get("by").asText());
        assertEquals("big", answer.get("body").get("name").asText());
        assertArrayEquals(big, answer.get("body").get("data").binaryValue(), "sent in chunks, echoed in chunks");
    }

    @Test
    void largeAndSmallFramesFromManyThreadsDoNotMix() throws Exception {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            results.add(senders.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    byte[] data = bytes(i % 3 == 0 ? 300_000 + i : 40 + i, thread * 100 + i);
                    ObjectNode body = Json.object();
                    body.set("data", Json.toTree(data));
                    JsonNode answer = await(host.request(i % 2 == 0 ? "echo" : "async-echo", body));
                    if (!java.util.Arrays.equals(data, answer.get("body").get("data").binaryValue())) {
                        return false;
                    }
                }
                return true;
            }));
        }
        for (Future<Boolean> result : results) {
            assertTrue(result.get(WAIT_SECONDS, TimeUnit.SECONDS), "every answer carried its own request's bytes");
        }
    }

    /** Serialising it fails, after the bytes before it went out as chunks. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("cannot be written");
        }
    }

    @Test
    void aFrameThatCannotBeEncodedHalfwayIsDroppedAndTheChannelGoesOn() throws Exception {
        ObjectNode body = Json.object();
        body.set("data", Json.toTree(bytes(3 * RpcPeer.CHUNK_BYTES, 2)));
        body.putPOJO("broken", new Unwritable());

        JagletException error = assertThrows(JagletException.class, () -> host.request("echo", body));

        assertEquals(ErrorType.SERIALIZATION, error.type());
        assertEquals("after", await(host.request("echo", text("after"))).get("body").asText());
        assertEquals("back", await(child.request("echo", text("back"))).get("body").asText());
        assertTrue(childHandler.closed.getCount() == 1 && hostHandler.closed.getCount() == 1, "nobody closed");
    }

    @Test
    void aHandlerThatHandsReadingOverCanWaitForRepliesOnItsOwnChannel() throws Exception {
        for (int i = 0; i < 20; i++) {
            JsonNode answer = await(host.request("ask-back", text("round " + i)));
            assertEquals("child", answer.get("by").asText());
            assertEquals("host", answer.get("body").get("by").asText(), "the child's question was answered by the host");
            assertEquals("round " + i, answer.get("body").get("body").asText());
            assertTrue(answer.get("thread").asText().startsWith("jaglets-rpc-child"), answer.toString());
        }
        // every handler left its thread interrupted; the threads that read on must not have closed the channel
        assertEquals("child", await(host.request("echo", text("still open"))).get("by").asText());
        assertTrue(!child.isClosed() && !host.isClosed());
    }

    @Test
    void shortWorkOnTheReaderIsAnsweredByTheThreadThatReadItWithoutAnotherThread() throws Exception {
        List<Long> threads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            JsonNode answer = await(host.request("on-reader", text("round " + i)));
            assertEquals("round " + i, answer.get("body").asText());
            assertTrue(answer.get("thread").asText().startsWith("jaglets-rpc-child"), answer.toString());
            threads.add(answer.get("thread_id").asLong());
        }
        // a hand-over per request would alternate between two reader threads
        assertEquals(1, threads.stream().distinct().count(), threads.toString());
    }

    @Test
    void workOnTheReaderThatWaitsForAReplyOnItsOwnChannelGetsIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            JsonNode answer = await(host.request("ask-back-on-reader", text("round " + i)));
            assertEquals("host", answer.get("body").get("by").asText(), "the child's question was answered by the host");
            assertEquals("round " + i, answer.get("body").get("body").asText());
        }
        assertEquals("child", await(host.request("on-reader", text("after"))).get("by").asText());
    }

    @Test
    void longWorkOnTheReaderDoesNotHoldUpTheFramesBehindIt() throws Exception {
        CompletableFuture<JsonNode> sleeper = host.request("sleep-on-reader", text("zz"));
        assertTrue(childHandler.sleeping.await(WAIT_SECONDS, TimeUnit.SECONDS));
        // the work neither returns nor sends: the standby must move reading off it
        JsonNode echoed = host.request("echo", text("past the sleeper")).get(2, TimeUnit.SECONDS);
        assertEquals("past the sleeper", echoed.get("body").asText());
        host.notify("note", text("event past the sleeper"));
        assertEquals("note", childHandler.events.poll(2, TimeUnit.SECONDS).get("op").asText());
        assertTrue(!sleeper.isDone(), "the sleeper still runs");
        childHandler.wake.countDown();
        assertEquals("true", await(sleeper).get("body").asText());
        assertEquals("child", await(host.request("on-reader", text("after"))).get("by").asText());
    }

    @Test
    void theStandbySleepsOnceNoWorkCameForAWhile() throws Exception {
        await(host.request("on-reader", text("wake the standby")));
        Thread standby = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jaglets-rpc-standby-child")).findFirst().orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (standby.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // parked without a timeout: an idle channel wakes nothing
        assertEquals(Thread.State.WAITING, standby.getState());
        assertEquals("child", await(host.request("on-reader", text("after its sleep"))).get("by").asText());
    }

    @Test
    void eventsArriveWithoutAReply() throws Exception {
        host.notify("run", text("go"));
        JsonNode event = childHandler.events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(event, "the event never arrived");
        assertEquals("run", event.get("op").asText());
        assertEquals("go", event.get("body").asText());
    }

    @Test
    void errorReplyCarriesItsErrorType() {
        JagletException error = failureOf(host.request("fail", text("kind-x")));
        assertEquals(ErrorType.NOT_HANDLED, error.type());
        assertEquals("no handler for kind-x", error.getMessage());
    }

    @Test
    void handlerThatThrowsIsAnsweredWithAHostErrorNamingTheException() throws Exception {
        JagletException error = failureOf(host.request("throw", text("")));
        assertEquals(ErrorType.HOST, error.type());
        assertTrue(error.getMessage().contains("IllegalStateException: handler broke"), error.getMessage());
        assertEquals("child", await(host.request("echo", text("still there"))).get("by").asText(),
                "the channel must survive a throwing handler");
    }

    @Test
    void concurrentRequestsFromManyThreadsEachGetTheirOwnReply() throws Exception {
        int threads = 4;
        int perThread = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> sending = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            sending.add(senders.submit(() -> {
                assertTrue(start.await(WAIT_SECONDS, TimeUnit.SECONDS));
                List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    // answered from the other side's worker threads, so replies cross requests on the wire
                    replies.add(host.request(i % 2 == 0 ? "async-echo" : "echo", text(thread + "/" + i)));
                }
                List<String> answers = new ArrayList<>();
                for (CompletableFuture<JsonNode> reply : replies) {
                    answers.add(await(reply).get("body").asText());
                }
                return answers;
            }));
        }
        start.countDown();

        for (int t = 0; t < threads; t++) {
            List<String> answers = sending.get(t).get(WAIT_SECONDS, TimeUnit.SECONDS);
            for (int i = 0; i < perThread; i++) {
                assertEquals(t + "/" + i, answers.get(i));
            }
        }
    }

    @Test
    void writesGoOutWhileTheReaderIsBlockedInARead() throws Exception {
        // both readers are idle in a blocking read; requests from both sides at once must still pass
        CompletableFuture<JsonNode> down = host.request("async-echo", text("down"));
        CompletableFuture<JsonNode> up = child.request("async-echo", text("up"));
        assertEquals("down", await(down).get("body").asText());
        assertEquals("up", await(up).get("body").asText());
    }

    @Test
    void closingTheOtherEndFailsPendingRequestsAsCrashed() throws Exception {
        CompletableFuture<JsonNode> pending = host.request("hold", text(""));
        assertTrue(childHandler.holding.await(WAIT_SECONDS, TimeUnit.SECONDS), "the request never arrived");

        child.close();

        assertEquals(ErrorType.AGENT_CRASHED, failureOf(pending).type());
        assertTrue(hostHandler.closed.await(WAIT_SECONDS, TimeUnit.SECONDS), "the host end was not told");
        assertTrue(host.isClosed());
    }

    @Test
    void closingThisEndFailsItsPendingAndLaterRequestsAsCrashed() throws Exception {
        CompletableFuture<JsonNode> pending = host.request("hold", text(""));
        assertTrue(childHandler.holding.await(WAIT_SECONDS, TimeUnit.SECONDS), "the request never arrived");

        host.close();

        assertEquals(ErrorType.AGENT_CRASHED, failureOf(pending).type());
        assertEquals(ErrorType.AGENT_CRASHED, failureOf(host.request("echo", text("late"))).type());
        assertTrue(childHandler.closed.await(WAIT_SECONDS, TimeUnit.SECONDS), "the other end did not see EOF");
        assertTrue(child.isClosed());
    }

    @Test
    void framesLargerThanOneMebibyteTravelBothWays() throws Exception {
        String big = "x".repeat(3 * 1024 * 1024 + 17);
        assertEquals(big.length(), await(host.request("echo", text(big))).get("body").asText().length());
        assertEquals(big, await(child.request("async-echo", text(big))).get("body").asText());
    }
}
