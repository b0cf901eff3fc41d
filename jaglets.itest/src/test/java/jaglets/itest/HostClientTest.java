package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.AgentStatus;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.JagletProxy;
import jaglets.api.Message;
import jaglets.api.ReplySet;
import jaglets.api.SendOptions;
import jaglets.http.HostClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client against a real host: proxies, sends of every kind, errors mapped to their types. */
class HostClientTest {
    @TempDir
    static Path home;
    static HostProcess host;
    static HostClient client;

    @BeforeAll
    static void startHost() {
        host = HostProcess.start(home, "client", Map.of("jaglets.api.key.env", "CLIENT_TEST_KEY"),
                Map.of("CLIENT_TEST_KEY", "k3y"));
        client = HostClient.create("k3y", Duration.ofSeconds(30));
        HostProcess.awaitCondition(() -> client.health(host.url()).name().equals("client"),
                Duration.ofSeconds(30), "the HTTP API");
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @Test
    void proxiesSendSynchronouslyOneWayAndInTheFuture() {
        JagletProxy echo = client.create(host.url(), "jaglets.examples.EchoJaglet", null, "client-echo",
                Map.of("count", 5), null);
        assertEquals("pong", echo.send(Message.of("ping")));
        assertEquals(6L, echo.send(Message.of("incr")));
        echo.sendOneway(Message.of("incr"));
        ReplySet replies = new ReplySet();
        for (int i = 0; i < 5; i++) {
            replies.addFutureReply(echo.sendFuture(Message.of("incr")));
        }
        assertTrue(replies.waitForAllReplies(Duration.ofSeconds(30)));
        assertEquals(12L, echo.send(Message.of("count")));
        assertTrue(echo.info().active());
        byte[] blob = {0, 1, 2, (byte) 255};
        Object echoed = echo.send(Message.of("echo").withArg("blob", blob));
        assertTrue(java.util.Arrays.equals(blob, (byte[]) ((Map<?, ?>) echoed).get("blob")));
    }

    @Test
    void lifecycleThroughTheClient() {
        JagletProxy agent = client.create(host.url(), "jaglets.examples.EchoJaglet", null, "client-life", null, null);
        agent.deactivate(DeactivationRequest.external(DeactivationPolicy.DEFAULT.withActivateOnMessage(false)));
        assertFalse(agent.info().active());
        Object queued = agent.send(Message.of("incr"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) queued).get("queued"));
        JagletException inactive = assertThrows(JagletException.class,
                () -> agent.send(Message.of("ping"), SendOptions.DEFAULT.withNoDelay(true)));
        assertEquals(ErrorType.AGENT_INACTIVE, inactive.type());
        agent.activate();
        HostProcess.awaitCondition(() -> Long.valueOf(1).equals(agent.send(Message.of("count"))),
                Duration.ofSeconds(10), "the queued message to be handled");
        assertTrue(client.agents(host.url(), AgentStatus.ACTIVE).stream().anyMatch(a -> a.agentId().equals("client-life")));
        agent.dispose();
        assertEquals(ErrorType.INVALID_AGENT, assertThrows(JagletException.class, agent::info).type());
    }

    @Test
    void stagesChainedOnAnAsyncSendNeitherRunOnNorHoldUpTheClient() throws Exception {
        HostClient quick = HostClient.create("k3y", Duration.ofSeconds(5));
        quick.create(host.url(), "jaglets.examples.EchoJaglet", null, "client-async", null, null);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // answered after 500 ms: the stage is chained long before, so whatever completes the send runs it
        CompletableFuture<String> chained = quick.sendAsync(host.url(), "client-async",
                Message.of("sleep").withArg("ms", 500), SendOptions.DEFAULT).thenApply(reply -> {
                    entered.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Thread.currentThread().getName();
                });
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the reply to arrive");

        assertEquals("client", quick.health(host.url()).name(), "the client answers while a caller's stage blocks");
        release.countDown();
        assertTrue(chained.get(10, TimeUnit.SECONDS).startsWith("jaglets-client-reply"));
    }

    @Test
    void errorsKeepTheirTypes() {
        assertEquals(ErrorType.NOT_HANDLED, assertThrows(JagletException.class, () -> client.create(host.url(),
                "jaglets.examples.EchoJaglet", null, null, null, null).send(Message.of("no-such-kind"))).type());
        assertEquals(ErrorType.CODE, assertThrows(JagletException.class, () -> client.create(host.url(),
                "jaglets.examples.Missing", null, null, null, null)).type());
        assertEquals(ErrorType.AUTHENTICATION, assertThrows(JagletException.class,
                () -> HostClient.create("wrong", Duration.ofSeconds(5)).health(host.url())).type());
        JagletException unreachable = assertThrows(JagletException.class,
                () -> client.health("http://127.0.0.1:" + HostProcess.freePort()));
        assertEquals(ErrorType.REMOTE_HOST, unreachable.type());
        assertTrue(unreachable.getMessage().startsWith("could not reach"), unreachable.getMessage());
        assertEquals(ErrorType.BAD_REQUEST, assertThrows(JagletException.class, () -> client.health("not a url")).type());
    }
}
