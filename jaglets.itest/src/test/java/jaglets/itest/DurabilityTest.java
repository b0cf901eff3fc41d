package jaglets.itest;

import static jaglets.itest.AgentLifecycleTest.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts of real host processes: stopped cleanly, terminated, or killed with SIGKILL. */
class DurabilityTest {
    @TempDir
    Path home;

    private static String create(HostProcess host, String id, String className, String extra) {
        String out = host.run("jaglets:create -i " + id + " " + extra + " " + className);
        assertEquals("created " + id, out);
        return id;
    }

    @Test
    void deactivatedAgentSurvivesKill9WithStateAndHookOrder() {
        try (HostProcess host = HostProcess.start(home, "durable")) {
            create(host, "keeper", "jaglets.examples.EchoJaglet", "");
            host.send("keeper", "incr");
            host.send("keeper", "incr");
            host.send("keeper", "fill", "{\"size\":100000}");
            host.run("jaglets:deactivate keeper");
            host.kill9();
            host.launch();
            assertTrue(!host.agent("keeper").path("active").asBoolean());
            assertEquals("3", host.send("keeper", "incr"));
            assertEquals("100000", host.send("keeper", "size"));
            assertEquals(List.of("creation", "run", "deactivating:deactivate", "activation:activate", "run"),
                    texts(host.json("jaglets:send keeper hooks")));
        }
    }

    @Test
    void messagesQueuedWhileInactiveSurviveKill9AndArriveInOrder() {
        try (HostProcess host = HostProcess.start(home, "queue")) {
            create(host, "sleeper", "jaglets.examples.EchoJaglet", "");
            host.run("jaglets:deactivate --no-activate-on-message sleeper");
            List<String> expected = new ArrayList<>(List.of("creation", "run", "deactivating:deactivate",
                    "activation:activate", "run"));
            for (int i = 0; i < 20; i++) {
                JsonNode reply = host.json("jaglets:send -a '{\"text\":\"m" + i + "\"}' sleeper note");
                assertTrue(reply.path("queued").asBoolean(), reply.toString());
                expected.add("note:m" + i);
            }
            host.kill9();
            host.launch();
            assertEquals("activated sleeper", host.run("jaglets:activate sleeper"));
            HostProcess.awaitCondition(() -> texts(host.json("jaglets:send sleeper hooks")).size() == expected.size(),
                    Duration.ofSeconds(20), "every queued message to be handled");
            assertEquals(expected, texts(host.json("jaglets:send sleeper hooks")));
            // the queue was consumed: a second restart does not deliver the messages again
            host.run("jaglets:deactivate sleeper");
            host.kill9();
            host.launch();
            List<String> hooks = texts(host.json("jaglets:send sleeper hooks"));
            assertEquals(20, hooks.stream().filter(h -> h.startsWith("note:")).count(), hooks.toString());
        }
    }

    @Test
    void stoppingTheHostStoresActiveAgentsAndStartingItWakesThem() {
        try (HostProcess host = HostProcess.start(home, "restart")) {
            create(host, "resident", "jaglets.examples.EchoJaglet", "");
            host.send("resident", "incr");
            host.stop();
            host.launch();
            host.awaitAgent("resident", a -> a.path("active").asBoolean(), Duration.ofSeconds(30),
                    "to be activated at startup");
            assertEquals("2", host.send("resident", "incr"));
            assertEquals(List.of("creation", "run", "deactivating:shutdown", "activation:activate", "run"),
                    texts(host.json("jaglets:send resident hooks")));
        }
    }

    @Test
    void sigtermStoresActiveAgents() {
        try (HostProcess host = HostProcess.start(home, "sigterm")) {
            create(host, "calm", "jaglets.examples.EchoJaglet", "");
            host.send("calm", "incr");
            host.terminate();
            assertTrue(Files.exists(host.dataDir().resolve("inactive").resolve("calm.json")),
                    "SIGTERM must store the agent\n" + host.logTail());
            host.launch();
            host.awaitAgent("calm", a -> a.path("active").asBoolean(), Duration.ofSeconds(30), "to be active again");
            assertEquals("2", host.send("calm", "incr"));
        }
    }

    @Test
    void agentWhoseShutdownHookHangsIsStoredWithItsLastConsistentState() {
        try (HostProcess host = HostProcess.start(home, "grace", Map.of("jaglets.shutdown.grace.ms", "1000"))) {
            create(host, "stubborn", "jaglets.examples.CrashingJaglet", "-s '{\"hangOnShutdown\":true}'");
            host.send("stubborn", "incr");
            host.send("stubborn", "incr");
            long started = System.nanoTime();
            host.stop();
            long stopMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(stopMillis < 20_000, "a hung hook must not hold shutdown: " + stopMillis + " ms");
            host.launch();
            host.awaitAgent("stubborn", a -> a.path("active").asBoolean(), Duration.ofSeconds(30), "to be active again");
            assertEquals("3", host.send("stubborn", "incr"));
        }
    }

    @Test
    void bundleDeployedThroughTheHostStaysDeployedAfterARestart(@TempDir Path jars) {
        try (HostProcess host = HostProcess.start(home, "redeploy")) {
            String out = host.run("jaglets:deploy " + Bundles.withVersion(jars, "4.2.0"));
            assertTrue(out.startsWith("deployed jaglets.examples 4.2.0"), out);
            host.stop();
            host.launch();
            assertEquals("created after-restart", host.run("jaglets:create -i after-restart -v 4.2.0 jaglets.examples.EchoJaglet"));
            assertEquals("\"pong\"", host.send("after-restart", "ping"));
        }
    }

    @Test
    void crashedAgentNeverBlocksShutdown() {
        try (HostProcess host = HostProcess.start(home, "crashed")) {
            create(host, "broken", "jaglets.examples.CrashingJaglet", "");
            host.send("broken", "exit", "{\"code\":9}");
            host.stop();
            assertTrue(!host.isAlive());
        }
    }
}
