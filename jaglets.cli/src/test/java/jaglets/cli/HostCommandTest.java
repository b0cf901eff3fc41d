package jaglets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.JagletException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The host's command line carries the launcher's settings as the framework properties the host reads. */
class HostCommandTest {
    private static final Path JAR = Path.of("/opt/jaglets/target/run.jar");

    private static HostCommand parse(Map<String, String> environment, String... args) {
        HostCommand host = new HostCommand();
        host.environment = environment::get;
        new CommandLine(host).parseArgs(args);
        return host;
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        List<String> command = parse(Map.of("JAGLETS_HOME", "/data/jh")).javaCommand(JAR, false);
        assertEquals(List.of("-Djaglets.name=jaglets", "-Dorg.osgi.service.http.port=8765",
                "-Dorg.apache.felix.http.host=127.0.0.1", "-Djaglets.home=/data/jh",
                "-Dfelix.fileinstall.dir=/data/jh/deploy", "-Dgosh.args=--nointeractive", "-jar", JAR.toString()),
                command.subList(1, command.size()));
        assertTrue(command.get(0).endsWith("/bin/java"), command.get(0));
    }

    @Test
    void everyFlagBecomesItsProperty() {
        List<String> command = parse(Map.of(), "--name", "alpha", "-p", "9001", "--host", "0.0.0.0", "--home", "/h",
                "--persistence-dir", "/p", "--deploy-dir", "/d", "--pool-size", "0", "--child-heap", "64m",
                "--api-key-env", "ALPHA_KEY", "--persistent-storage-quota", "1M").javaCommand(JAR, true);
        assertEquals(List.of("-Djaglets.name=alpha", "-Dorg.osgi.service.http.port=9001",
                "-Dorg.apache.felix.http.host=0.0.0.0", "-Djaglets.home=/h", "-Dfelix.fileinstall.dir=/d",
                "-Djaglets.data.dir=/p", "-Djaglets.pool.size=0", "-Djaglets.child.heap=64m",
                "-Djaglets.api.key.env=ALPHA_KEY", "-Djaglets.storage.quota=1048576", "-Dgosh.args=--quiet",
                "-jar", JAR.toString()), command.subList(1, command.size()));
    }

    @Test
    void noMulticastTurnsBeaconsOffAndLeavesGossipOn() {
        List<String> command = parse(Map.of(), "--no-multicast", "--peer", "http://a:1").javaCommand(JAR, false);
        assertTrue(command.contains("-Djaglets.mesh.multicast=false"), command.toString());
        assertTrue(command.contains("-Djaglets.mesh.peers=http://a:1"), command.toString());
        assertTrue(command.stream().noneMatch(c -> c.startsWith("-Djaglets.mesh.enabled")), command.toString());
    }

    @Test
    void unlimitedStorageIsMinusOne() {
        assertTrue(parse(Map.of(), "--persistent-storage-quota", "none").javaCommand(JAR, false)
                .contains("-Djaglets.storage.quota=-1"));
    }

    @Test
    void connectModeIsReachedThroughTheHubAndGossipsWithNobody() {
        List<String> command = parse(Map.of("JAGLETS_API_KEY", "k"), "--name", "behind nat", "--connect-to",
                "hub.example:8765/").javaCommand(JAR, false);
        assertTrue(command.containsAll(List.of("-Djaglets.relay.connect=http://hub.example:8765",
                "-Djaglets.address=http://hub.example:8765/relay/hosts/behind%20nat", "-Djaglets.mesh.fanout=0",
                "-Dorg.apache.felix.http.host=127.0.0.1")), command.toString());
    }

    @Test
    void connectModeNeedsAKeyAndLoopback() {
        JagletException noKey = assertThrows(JagletException.class,
                () -> parse(Map.of(), "--connect-to", "http://hub:8765").javaCommand(JAR, false));
        assertTrue(noKey.getMessage().startsWith("--connect-to needs an API key in $JAGLETS_API_KEY"), noKey.getMessage());
        assertThrows(JagletException.class, () -> parse(Map.of("JAGLETS_API_KEY", "k"), "--api-key-env", "OTHER",
                "--connect-to", "http://hub:8765").javaCommand(JAR, false));
        assertTrue(parse(Map.of("OTHER", "k"), "--api-key-env", "OTHER", "--connect-to", "http://hub:8765")
                .javaCommand(JAR, false).contains("-Djaglets.relay.connect=http://hub:8765"));
        assertThrows(JagletException.class, () -> parse(Map.of("JAGLETS_API_KEY", "k"), "--host", "0.0.0.0",
                "--connect-to", "http://hub:8765").javaCommand(JAR, false));
        assertThrows(JagletException.class, () -> parse(Map.of("JAGLETS_API_KEY", "k"), "--peer", "http://c:1",
                "--connect-to", "http://hub:8765").javaCommand(JAR, false));
    }

    @Test
    void theRelayOptionsOfPagletsBecomeTheHubSettings() {
        List<String> command = parse(Map.of(), "--relay-offline-after", "30", "--relay-delivery-timeout", "2.5",
                "--relay-queue-limit", "64", "--no-mesh-multicast").javaCommand(JAR, false);
        assertTrue(command.containsAll(List.of("-Djaglets.relay.offline.ms=30000",
                "-Djaglets.relay.delivery.timeout.ms=2500", "-Djaglets.relay.queue.limit=64",
                "-Djaglets.mesh.multicast=false")), command.toString());
        assertThrows(JagletException.class, () -> parse(Map.of(), "--relay-offline-after", "0").javaCommand(JAR, false));
        assertThrows(JagletException.class, () -> parse(Map.of(), "--relay-delivery-timeout", "-1")
                .javaCommand(JAR, false));
        assertThrows(JagletException.class, () -> parse(Map.of(), "--relay-queue-limit", "0").javaCommand(JAR, false));
    }

    @Test
    void aPublicUrlBecomesTheHostAddressAndNeedsAKey() {
        List<String> command = parse(Map.of("JAGLETS_API_KEY", "k"), "--host", "0.0.0.0", "--public-url",
                "https://jaglets.example.org:8443/").javaCommand(JAR, false);
        assertTrue(command.containsAll(List.of("-Djaglets.address=https://jaglets.example.org:8443",
                "-Dorg.apache.felix.http.host=0.0.0.0")), command.toString());
        JagletException noKey = assertThrows(JagletException.class,
                () -> parse(Map.of(), "--public-url", "http://a.example:8765").javaCommand(JAR, false));
        assertTrue(noKey.getMessage().startsWith("--public-url needs an API key in $JAGLETS_API_KEY"), noKey.getMessage());
        for (String bad : List.of("a.example:8765", "ftp://a.example", "http://", "http:///x", "not a url")) {
            assertThrows(JagletException.class, () -> parse(Map.of("JAGLETS_API_KEY", "k"), "--public-url", bad)
                    .javaCommand(JAR, false), bad);
        }
        assertThrows(JagletException.class, () -> parse(Map.of("JAGLETS_API_KEY", "k"), "--public-url",
                "http://a.example:8765", "--connect-to", "http://hub:8765").javaCommand(JAR, false));
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingStarts() {
        assertThrows(JagletException.class, () -> parse(Map.of(), "--port", "70000").javaCommand(JAR, false));
        assertThrows(JagletException.class, () -> parse(Map.of(), "--pool-size", "-1").javaCommand(JAR, false));
        assertThrows(JagletException.class, () -> parse(Map.of(), "--persistent-storage-quota", "lots")
                .javaCommand(JAR, false));
    }
}
