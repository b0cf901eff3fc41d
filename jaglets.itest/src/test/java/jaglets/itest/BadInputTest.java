package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input gets a clear error of the right type, and nothing else is disturbed: the host keeps
 * answering, a bystander agent keeps its state, an inactive agent keeps its record.
 */
class BadInputTest {
    @TempDir
    static Path home;
    static HostProcess host;
    static byte[] sleeperRecord;

    @BeforeAll
    static void startHost() throws Exception {
        host = HostProcess.start(home, "badinput", Map.of("jaglets.storage.quota", "64"));
        assertEquals("created bystander", host.run("jaglets:create -i bystander jaglets.examples.EchoJaglet"));
        host.send("bystander", "incr");
        assertEquals("created sleeper", host.run("jaglets:create -i sleeper jaglets.examples.EchoJaglet"));
        host.run("jaglets:deactivate --no-activate-on-message --no-queue sleeper");
        sleeperRecord = Files.readAllBytes(host.dataDir().resolve("inactive/sleeper.json"));
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @AfterEach
    void nothingElseWasDisturbed() throws Exception {
        assertTrue(host.run("jaglets:health").startsWith("host badinput"));
        assertEquals(1, host.json("jaglets:state bystander").path("state").path("count").asInt());
        assertTrue(java.util.Arrays.equals(sleeperRecord,
                Files.readAllBytes(host.dataDir().resolve("inactive/sleeper.json"))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "state of the wrong type     | jaglets:create -s '{\"count\":\"many\"}' jaglets.examples.EchoJaglet | SerializationError:",
        "state that is not an object | jaglets:create -s '[1,2]' jaglets.examples.EchoJaglet              | SerializationError:",
        "state that is not JSON      | jaglets:create -s '{count' jaglets.examples.EchoJaglet              | BadRequestError:",
        "agent id with a path        | jaglets:create -i ../../etc/evil jaglets.examples.EchoJaglet      | BadRequestError:",
        "agent id starting with dot  | jaglets:create -i .hidden jaglets.examples.EchoJaglet             | BadRequestError:",
        "duplicate agent id          | jaglets:create -i bystander jaglets.examples.EchoJaglet          | ConflictError:",
        "unknown class               | jaglets:create jaglets.examples.Missing                            | CodeError:",
        "unknown agent               | jaglets:send nobody ping                                           | InvalidAgentError:",
        "unknown agent state         | jaglets:state nobody                                               | InvalidAgentError:",
        "dispose unknown agent       | jaglets:dispose ../sleeper                                         | InvalidAgentError:",
        "priority out of range       | jaglets:send -p 11 bystander ping                                  | BadRequestError:",
        "args that are not an object | jaglets:send -a '[1]' bystander ping                               | BadRequestError:",
        "unhandled message kind      | jaglets:send bystander no-such-kind                                | NotHandledError:",
        "inactive agent not queueing | jaglets:send --no-activate sleeper ping                            | PagletInactiveError:",
        "storage quota overflow      | jaglets:send -a '{\"path\":\"big.txt\",\"text\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}' bystander store | StorageQuotaError:",
        "storage path escape         | jaglets:send -a '{\"path\":\"../../escape.txt\",\"text\":\"x\"}' bystander store | PathError:",
        "absolute storage path       | jaglets:send -a '{\"path\":\"/tmp/escape.txt\",\"text\":\"x\"}' bystander store | PathError:",
        "uninstall unknown bundle    | jaglets:uninstall no.such.bundle 1.0.0                             | CodeError:",
        "uninstall bad version       | jaglets:uninstall jaglets.examples x.y                             | BadRequestError:"
    })
    void badInputIsAClearError(String what, String command, String expectedType) {
        String out = host.run(command.trim());
        assertTrue(out.startsWith(expectedType.trim()), what + " -> " + out);
    }

    @Test
    void nothingEscapedTheStorageRoot() {
        assertTrue(!Files.exists(host.dataDir().resolve("escape.txt")));
        assertTrue(!Files.exists(home.resolve("escape.txt")));
    }
}
