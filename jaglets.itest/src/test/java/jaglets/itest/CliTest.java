package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code jaglets} terminal client against a real host with an API key: what each command
 * prints, on which stream, and with which exit status. Tables and JSON are the very ones the
 * host's own Gogo commands print.
 */
class CliTest {
    private static final String KEY = "cli-s3cret";
    private static final String ECHO = "jaglets.examples.EchoJaglet";

    @TempDir
    static Path home;
    @TempDir
    static Path jars;
    static HostProcess host;

    @BeforeAll
    static void startHost() {
        host = HostProcess.start(home, "cli", Map.of("jaglets.api.key.env", "CLI_TEST_KEY"), Map.of("CLI_TEST_KEY", KEY));
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    /** {@code ./jaglets COMMAND --host <the host> ARGS} with the right key in JAGLETS_API_KEY. */
    private static Cli.Result jaglets(String command, String... args) {
        return jagletsWith(Map.of("JAGLETS_API_KEY", KEY), command, args);
    }

    private static Cli.Result jagletsWith(Map<String, String> environment, String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--host", host.url()));
        all.addAll(List.of(args));
        return Cli.run(environment, all.toArray(String[]::new));
    }

    private static String ok(Cli.Result result) {
        assertEquals(0, result.status(), result.toString());
        assertEquals("", result.err(), result.toString());
        return result.out().trim();
    }

    private static void fails(Cli.Result result, String start) {
        assertEquals(2, result.status(), result.toString());
        assertEquals("", result.out(), result.toString());
        assertTrue(result.err().startsWith(start), result.toString());
    }

    @Test
    void healthIsTheShellsLine() {
        String health = ok(jaglets("health"));
        assertTrue(health.startsWith("host cli at " + host.url() + ": "), health);
        assertTrue(health.endsWith("; data in " + host.dataDir().toAbsolutePath()), health);
        JsonNode json = jaglets("health", "--json").json();
        assertEquals("cli", json.path("name").asText());
        assertEquals(host.dataDir().toAbsolutePath().toString(), json.path("dataDir").asText());
    }

    @Test
    void listingsAreTheTablesAndJsonTheShellPrints() {
        assertEquals("created cli-listed", ok(jaglets("create", "-i", "cli-listed", ECHO)));
        assertEquals("1", ok(jaglets("send", "cli-listed", "incr")));
        assertEquals(host.run("jaglets:agents -s all"), ok(jaglets("agents", "--state", "all")));
        assertEquals(host.json("jaglets:agents -j"), jaglets("agents", "--json").json());
        assertEquals(host.run("jaglets:bundles"), ok(jaglets("bundles")));
        assertEquals(host.json("jaglets:bundles -j"), jaglets("bundles", "-j").json());
        assertEquals(host.json("jaglets:state cli-listed"), jaglets("state", "cli-listed").json());
        String table = ok(jaglets("agents"));
        assertTrue(table.startsWith("AGENT "), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("cli-listed ") && l.contains(" active ")
                && l.contains("1 delivered")), table);
    }

    @Test
    void createSendAndState() {
        assertEquals("created cli-echo", ok(jaglets("create", "--id", "cli-echo", "--state", "{\"count\": 41}", ECHO)));
        assertEquals("42", ok(jaglets("send", "cli-echo", "incr")));
        assertEquals("\"pong\"", ok(jaglets("send", "cli-echo", "ping")));
        assertEquals("{\"text\":\"hi\",\"n\":2}", ok(jaglets("send", "--args", "{\"text\": \"hi\", \"n\": 2}", "cli-echo", "echo")));
        assertEquals("null", ok(jaglets("send", "--oneway", "cli-echo", "incr")));
        HostProcess.awaitCondition(() -> jaglets("state", "cli-echo").json().path("state").path("count").asInt() == 43,
                Duration.ofSeconds(30), "the one-way message to be handled");
        JsonNode created = jaglets("create", "--json", "--init", "\"hello\"", ECHO).json();
        assertTrue(created.path("active").asBoolean(), created.toString());
        assertEquals(ECHO, created.path("className").asText());
        assertEquals("cli", created.path("hostName").asText());
        fails(jaglets("send", "cli-echo", "no-such-kind"), "jaglets send: NotHandledError: ");
    }

    @Test
    void deactivateQueueAndActivate() {
        ok(jaglets("create", "-i", "cli-sleeper", ECHO));
        assertEquals("deactivated cli-sleeper", ok(jaglets("deactivate", "--no-activate-on-message", "cli-sleeper")));
        assertTrue(ok(jaglets("agents", "-s", "inactive")).lines().anyMatch(l -> l.startsWith("cli-sleeper ")
                && l.contains(" inactive ")));
        JsonNode queued = jaglets("send", "cli-sleeper", "incr").json();
        assertTrue(queued.path("queued").asBoolean(), queued.toString());
        fails(jaglets("send", "--no-delay", "cli-sleeper", "ping"), "jaglets send: PagletInactiveError: ");
        JsonNode state = jaglets("state", "cli-sleeper").json();
        assertFalse(state.path("policy").path("activateOnMessage").asBoolean(), state.toString());
        assertEquals(1, state.path("queuedMessageCount").asInt(), state.toString());
        assertEquals("activated cli-sleeper", ok(jaglets("activate", "cli-sleeper")));
        HostProcess.awaitCondition(() -> "1".equals(ok(jaglets("send", "cli-sleeper", "count"))),
                Duration.ofSeconds(30), "the queued message to be handled after activation");
        assertEquals("disposed cli-sleeper", ok(jaglets("dispose", "cli-sleeper")));
        fails(jaglets("state", "cli-sleeper"), "jaglets state: InvalidAgentError: ");
    }

    @Test
    void eventsOldestFirst() {
        ok(jaglets("create", "-i", "cli-evented", ECHO));
        ok(jaglets("send", "cli-evented", "ping"));
        List<String> lines = ok(jaglets("events", "--limit", "1000")).lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d+ \\S+ create agent=cli-evented \\{.*")), lines.toString());
        long previous = 0;
        for (String line : lines) {
            long id = Long.parseLong(line.substring(0, line.indexOf(' ')));
            assertTrue(id > previous, lines.toString());
            previous = id;
        }
        JsonNode since = jaglets("events", "--since", "1", "--limit", "2", "--json").json();
        assertEquals(2, since.size(), since.toString());
        assertEquals(2, since.get(0).path("eventId").asLong());
        assertEquals(host.run("jaglets:events -s 1 -l 2").lines().map(l -> l.substring(0, l.indexOf(' '))).toList(),
                ok(jaglets("events", "-s", "1", "-l", "2")).lines().map(l -> l.substring(0, l.indexOf(' '))).toList());
    }

    @Test
    void deployAndUninstallABundleVersion() {
        Path jar = Bundles.withVersion(jars, "7.0.0");
        assertEquals("deployed jaglets.examples 7.0.0 offering [jaglets.examples.EchoJaglet, jaglets.examples.CrashingJaglet, jaglets.examples.ChainJaglet]",
                ok(jaglets("deploy", jar.toString())));
        assertTrue(ok(jaglets("bundles")).lines().anyMatch(l -> l.matches("jaglets\\.examples +7\\.0\\.0 +exact +yes +0 .*")));
        assertEquals("uninstalled jaglets.examples 7.0.0", ok(jaglets("uninstall", "jaglets.examples", "7.0.0")));
        for (JsonNode bundle : jaglets("bundles", "--json").json()) {
            assertFalse(bundle.path("version").asText().equals("7.0.0"), bundle.toString());
        }
        fails(jaglets("deploy", jars.resolve("missing.jar").toString()), "jaglets deploy: BadRequestError: no bundle file");
    }

    @Test
    void errorsPrintTheirTypeOnStandardErrorAndExitWithTwo() {
        fails(jaglets("send", "nobody", "ping"), "jaglets send: InvalidAgentError: ");
        fails(jaglets("agents", "--state", "sleeping"), "jaglets agents: BadRequestError: ");
        fails(jaglets("frobnicate"), "jaglets: BadRequestError: ");
    }

    @Test
    void theApiKeyComesFromTheEnvironment() {
        Cli.Result wrong = jagletsWith(Map.of("JAGLETS_API_KEY", "wrong"), "health");
        fails(wrong, "jaglets health: AuthenticationError: ");
        assertTrue(wrong.err().contains("hint: "), wrong.err());
        fails(jagletsWith(Map.of(), "health"), "jaglets health: AuthenticationError: ");
        Map<String, String> other = new HashMap<>(Map.of("MY_HOST_KEY", KEY));
        assertTrue(ok(jagletsWith(other, "health", "--api-key-env", "MY_HOST_KEY")).startsWith("host cli at "));
        fails(jagletsWith(other, "health", "--api-key-env", "NOT_SET_ANYWHERE"), "jaglets health: BadRequestError: ");
    }

    @Test
    void theEntryHostIsAUrlOrAnUnreachableHostGetsAHint() {
        Map<String, String> key = Map.of("JAGLETS_API_KEY", KEY);
        assertTrue(ok(Cli.run(key, "health", "--entry", host.url())).startsWith("host cli at "));
        Cli.Result byName = Cli.run(key, "health", "--entry", "alpha");
        fails(byName, "jaglets health: BadRequestError: cannot find a host named 'alpha'");
        assertTrue(byName.err().contains("mesh"), byName.err());
        Cli.Result unreachable = Cli.run(key, "health", "--host", "http://127.0.0.1:" + HostProcess.freePort());
        fails(unreachable, "jaglets health: RemoteHostError: could not reach http://127.0.0.1:");
        assertTrue(unreachable.err().contains("\nhint: "), unreachable.err());
    }

    @Test
    void helpAndCompletion() {
        Cli.Result help = Cli.run(Map.of(), "--help");
        assertEquals(0, help.status(), help.toString());
        for (String command : List.of("host", "health", "agents", "create", "send", "deactivate", "activate", "dispose",
                "state", "events", "bundles", "deploy", "uninstall", "completion")) {
            assertTrue(help.out().contains("\n  " + command + " "), command + " in\n" + help.out());
        }
        Cli.Result completion = Cli.run(Map.of(), "completion");
        assertEquals(0, completion.status(), completion.toString());
        assertTrue(completion.out().contains("complete -F"), completion.out());
    }
}
