package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents on one real host process: messages, crashes, deactivation and activation, self-management. */
class AgentLifecycleTest {
    @TempDir
    static Path home;
    static HostProcess host;

    @BeforeAll
    static void startHost() {
        host = HostProcess.start(home, "lifecycle");
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    private static String create(String className, String extra) {
        String out = host.run("jaglets:create " + extra + " " + className);
        assertTrue(out.startsWith("created "), out);
        return out.substring("created ".length()).trim();
    }

    @Test
    void createdAgentAnswersMessagesAndKeepsItsCount() {
        String id = create("jaglets.examples.EchoJaglet", "");
        assertEquals("\"pong\"", host.send(id, "ping"));
        assertEquals("1", host.send(id, "incr"));
        assertEquals("2", host.send(id, "incr"));
        assertEquals("{\"a\":1,\"b\":\"x\"}", host.send(id, "echo", "{\"a\":1,\"b\":\"x\"}"));
        JsonNode state = host.json("jaglets:state " + id);
        assertEquals(2, state.path("state").path("count").asInt());
        assertTrue(state.path("consistent").asBoolean());
    }

    @Test
    void childCommandLineNamesTheAgentForPs() throws Exception {
        String id = create("jaglets.examples.EchoJaglet", "");
        long pid = host.agent(id).path("pid").asLong();
        Path cmdline = Path.of("/proc/" + pid + "/cmdline");
        // the child writes its title while it loads the agent (a child started for it: beside the load)
        HostProcess.awaitCondition(() -> commandLine(cmdline).contains("-Djaglets.agent.id=" + id + " "),
                Duration.ofSeconds(5), "the command line to name agent " + id + ": " + commandLine(cmdline));
    }

    private static String commandLine(Path cmdline) {
        try {
            return new String(Files.readAllBytes(cmdline)).replace('\0', ' ');
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void agentOutputGoesToTheHostLogTaggedWithItsId() {
        String id = create("jaglets.examples.EchoJaglet", "");
        host.send(id, "print", "{\"text\":\"hello-from-the-agent\"}");
        HostProcess.awaitCondition(() -> {
            try {
                return Files.readAllLines(host.log()).stream()
                        .anyMatch(l -> l.contains("[agent " + id) && l.contains("hello-from-the-agent"));
            } catch (java.io.IOException e) {
                return false;
            }
        }, Duration.ofSeconds(10), "the agent's output in the host log");
    }

    @Test
    void handlerExceptionIsReportedAndTheChildKeepsRunning() {
        String id = create("jaglets.examples.CrashingJaglet", "");
        long pid = host.agent(id).path("pid").asLong();
        String out = host.send(id, "throw");
        assertTrue(out.startsWith("HostError: java.lang.IllegalArgumentException: handler failed on purpose"), out);
        assertEquals("1", host.send(id, "incr"));
        assertEquals(pid, host.agent(id).path("pid").asLong());
    }

    @Test
    void exitInAHandlerCrashesOnlyThatAgentWhichCanThenBeDisposed() {
        String bystander = create("jaglets.examples.EchoJaglet", "");
        for (String kind : List.of("exit", "halt")) {
            String id = create("jaglets.examples.CrashingJaglet", "");
            String out = host.send(id, kind, "{\"code\":3}");
            assertTrue(out.startsWith("PagletCrashedError:"), out);
            JsonNode agent = host.agent(id);
            assertTrue(agent.path("crashed").asBoolean());
            assertFalse(agent.path("active").asBoolean());
            assertEquals(3, agent.path("exitCode").asInt());
            assertTrue(host.send(id, "incr").startsWith("PagletCrashedError:"));
            assertEquals("\"pong\"", host.send(bystander, "ping"));
            assertEquals("disposed " + id, host.run("jaglets:dispose " + id));
            assertEquals(null, host.agent(id));
        }
    }

    @Test
    void exitWithCodeZeroStillCountsAsACrash() {
        String id = create("jaglets.examples.CrashingJaglet", "");
        assertTrue(host.send(id, "exit", "{\"code\":0}").startsWith("PagletCrashedError:"));
        assertEquals(0, host.agent(id).path("exitCode").asInt());
        assertTrue(host.agent(id).path("crashed").asBoolean());
    }

    @Test
    void failingRunMarksTheAgentCrashed() {
        String id = create("jaglets.examples.CrashingJaglet", "-s '{\"failRun\":true}'");
        host.awaitAgent(id, a -> a.path("crashed").asBoolean(), Duration.ofSeconds(10), "to crash");
        assertTrue(host.agent(id).path("error").asText().contains("run() failed on purpose"));
        assertTrue(host.send(id, "incr").startsWith("PagletCrashedError:"));
    }

    @Test
    void failingCreationHookFailsTheCreateAndLeavesNoAgent() {
        String out = host.run("jaglets:create -i refused-1 -s '{\"failCreation\":true}' jaglets.examples.CrashingJaglet");
        assertTrue(out.contains("creation refused on purpose"), out);
        assertEquals(null, host.agent("refused-1"));
    }

    @Test
    void deactivatedAgentWakesOnMessageWithStateAndHookOrder() {
        String id = create("jaglets.examples.EchoJaglet", "");
        host.send(id, "incr");
        assertEquals("deactivated " + id, host.run("jaglets:deactivate " + id));
        JsonNode inactive = host.agent(id);
        assertFalse(inactive.path("active").asBoolean());
        assertTrue(inactive.path("pid").isNull());
        assertEquals("2", host.send(id, "incr"));
        JsonNode hooks = host.json("jaglets:send " + id + " hooks");
        assertEquals(List.of("creation", "run", "deactivating:deactivate", "activation:activate", "run"), texts(hooks));
    }

    @Test
    void noDelayNeverActivatesAnInactiveAgent() {
        String id = create("jaglets.examples.EchoJaglet", "");
        host.run("jaglets:deactivate " + id);
        String out = host.run("jaglets:send --no-delay " + id + " ping");
        assertTrue(out.startsWith("PagletInactiveError:"), out);
        assertFalse(host.agent(id).path("active").asBoolean());
    }

    @Test
    void agentDeactivatesItselfFromAHandlerAndComesBackOnTheNextMessage() {
        String id = create("jaglets.examples.EchoJaglet", "");
        assertEquals("\"deactivating\"", host.send(id, "deactivate-self"));
        host.awaitAgent(id, a -> !a.path("active").asBoolean(), Duration.ofSeconds(10), "to be inactive");
        assertEquals("1", host.send(id, "incr"));
        assertTrue(texts(host.json("jaglets:send " + id + " hooks")).contains("deactivating:self"));
    }

    @Test
    void agentDisposesItself() {
        String id = create("jaglets.examples.EchoJaglet", "");
        assertEquals("\"disposing\"", host.send(id, "dispose-self"));
        HostProcess.awaitCondition(() -> host.agent(id) == null, Duration.ofSeconds(10), "the agent to be gone");
    }

    @Test
    void disposingAnInactiveAgentDeletesItsRecord() {
        String id = create("jaglets.examples.EchoJaglet", "");
        host.run("jaglets:deactivate " + id);
        Path record = host.dataDir().resolve("inactive").resolve(id + ".json");
        assertTrue(Files.exists(record));
        assertEquals("disposed " + id, host.run("jaglets:dispose " + id));
        assertFalse(Files.exists(record));
        assertTrue(host.send(id, "ping").startsWith("InvalidAgentError:"));
    }

    @Test
    void timerActivatesAnInactiveAgent() {
        String id = create("jaglets.examples.EchoJaglet", "");
        host.run("jaglets:deactivate --after 1 " + id);
        host.awaitAgent(id, a -> a.path("active").asBoolean(), Duration.ofSeconds(20), "to be activated by its timer");
    }

    @Test
    void agentsShareHostPropertiesAndUsePersistentStorageAndWorkDirs() {
        String a = create("jaglets.examples.EchoJaglet", "");
        String b = create("jaglets.examples.EchoJaglet", "");
        assertEquals("\"blue\"", host.send(a, "property", "{\"key\":\"colour\",\"value\":\"blue\"}"));
        assertEquals("\"blue\"", host.send(b, "property", "{\"key\":\"colour\"}"));
        host.send(a, "store", "{\"path\":\"notes/a.txt\",\"text\":\"kept\"}");
        assertEquals("\"kept\"", host.send(b, "store", "{\"path\":\"notes/a.txt\"}"));
        String workDir = host.send(a, "workdir").replace("\"", "");
        assertTrue(Files.isDirectory(Path.of(workDir)), workDir);
        assertNotEquals(workDir, host.send(b, "workdir").replace("\"", ""));
    }

    @Test
    void agentsReachEachOtherThroughProxies() {
        String a = create("jaglets.examples.EchoJaglet", "");
        String b = create("jaglets.examples.EchoJaglet", "");
        assertEquals("\"pong\"", host.send(a, "forward", "{\"to\":\"" + b + "\",\"kind\":\"ping\"}"));
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
