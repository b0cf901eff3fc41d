package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./jaglets host}: a host started by the launcher answers the client, and SIGTERM stores its agents. */
class CliHostTest {
    @TempDir
    Path home;
    Process launcher;

    @AfterEach
    void killLeftovers() {
        if (launcher != null) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    @Test
    void aLauncherStartedHostAnswersAndStoresItsAgentsOnSigterm() throws Exception {
        int port = HostProcess.freePort();
        String url = "http://127.0.0.1:" + port;
        Path log = home.resolve("launcher.log");
        launcher = Cli.start(Map.of(), log, "host", "--name", "launched", "--port", String.valueOf(port),
                "--home", home.toString(), "--pool-size", "1", "--persistent-storage-quota", "1K");
        HostProcess.awaitCondition(() -> Cli.run(Map.of(), "health", "--host", url).status() == 0,
                Duration.ofSeconds(90), "the launched host to answer; log:\n" + log);
        String health = Cli.run(Map.of(), "health", "--host", url).out();
        assertTrue(health.startsWith("host launched at " + url + ": "), health);
        assertTrue(health.trim().endsWith("data in " + home.resolve("hosts").resolve("launched")), health);
        assertTrue(Files.isDirectory(home.resolve("deploy")), "the default deploy folder is created");

        assertEquals("created kept", Cli.run(Map.of(), "create", "--host", url, "-i", "kept",
                "jaglets.examples.EchoJaglet").out().trim());
        assertEquals("1", Cli.run(Map.of(), "send", "--host", url, "kept", "incr").out().trim());
        Cli.Result overQuota = Cli.run(Map.of(), "send", "--host", url, "-a",
                "{\"path\": \"big.txt\", \"text\": \"" + "x".repeat(2000) + "\"}", "kept", "store");
        assertEquals(2, overQuota.status(), overQuota.toString());
        assertTrue(overQuota.err().startsWith("jaglets send: StorageQuotaError: "), overQuota.toString());

        List<ProcessHandle> hostProcesses = launcher.children().toList();
        assertEquals(1, hostProcesses.size(), "the launcher runs the host as its one child");
        launcher.destroy(); // SIGTERM, as a service manager sends it
        assertTrue(launcher.waitFor(120, TimeUnit.SECONDS), "the launcher ends once the host has stopped");
        assertEquals(143, launcher.exitValue(), "the host's own status after SIGTERM; log:\n" + Files.readString(log));
        assertFalse(hostProcesses.get(0).isAlive(), "the host ended with its launcher");
        assertTrue(Files.exists(home.resolve("hosts/launched/inactive/kept.json")),
                "the active agent was stored on SIGTERM; log:\n" + Files.readString(log));
    }

    /** Behind a proxy: the host listens on one address and gives the public one as its own. */
    @Test
    void aHostStartedWithAPublicUrlGivesItAsItsAddressAndWantsTheKey() throws Exception {
        int port = HostProcess.freePort();
        String url = "http://127.0.0.1:" + port;
        String publicUrl = "https://jaglets.example.org:8443";
        Map<String, String> keyed = Map.of("JAGLETS_API_KEY", "pub-k3y");
        Path log = home.resolve("launcher.log");
        launcher = Cli.start(keyed, log, "host", "--name", "public", "--port", String.valueOf(port),
                "--home", home.toString(), "--pool-size", "0", "--public-url", publicUrl + "/");
        HostProcess.awaitCondition(() -> Cli.run(keyed, "health", "--host", url).status() == 0,
                Duration.ofSeconds(90), "the launched host to answer; log:\n" + log);

        String health = Cli.run(keyed, "health", "--host", url).out();
        assertTrue(health.startsWith("host public at " + publicUrl + ": "), health);
        Cli.Result withoutKey = Cli.run(Map.of(), "health", "--host", url);
        assertEquals(2, withoutKey.status(), withoutKey.toString());
        assertTrue(withoutKey.err().contains("AuthenticationError"), withoutKey.toString());
    }
}
