package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agent bundles and their versions on a real host. */
class BundleVersionTest {
    private static final String ECHO = "jaglets.examples.EchoJaglet";
    @TempDir
    static Path home;
    @TempDir
    static Path jars;
    static HostProcess host;

    @BeforeAll
    static void startHost() {
        host = HostProcess.start(home, "versions");
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    private static String versionOf(String agentId) {
        return host.agent(agentId).path("bundleVersion").asText();
    }

    @Test
    void newAgentsUseTheNewestVersionAndOlderOnesStayUntouched() {
        assertEquals("created old-1", host.run("jaglets:create -i old-1 -v 0.1.0.SNAPSHOT jaglets.examples.EchoJaglet"));
        host.send("old-1", "incr");
        String deployed = host.run("jaglets:deploy " + Bundles.withVersion(jars, "50.0.0"));
        assertTrue(deployed.startsWith("deployed jaglets.examples 50.0.0"), deployed);
        assertEquals("created new-1", host.run("jaglets:create -i new-1 jaglets.examples.EchoJaglet"));
        assertEquals("50.0.0", versionOf("new-1"));
        assertEquals("0.1.0.SNAPSHOT", versionOf("old-1"));
        assertEquals("2", host.send("old-1", "incr"));
        assertEquals("created pinned-1", host.run("jaglets:create -i pinned-1 -v 0.1.0.SNAPSHOT jaglets.examples.EchoJaglet"));
        assertEquals("0.1.0.SNAPSHOT", versionOf("pinned-1"));
    }

    @Test
    void aVersionInUseCannotBeUninstalledActiveOrInactive() {
        host.run("jaglets:deploy " + Bundles.withVersion(jars, "8.0.0"));
        assertEquals("created user-8", host.run("jaglets:create -i user-8 -v 8.0.0 jaglets.examples.EchoJaglet"));
        assertTrue(host.run("jaglets:uninstall jaglets.examples 8.0.0").startsWith("ConflictError:"));
        host.run("jaglets:deactivate user-8");
        String refused = host.run("jaglets:uninstall jaglets.examples 8.0.0");
        assertTrue(refused.startsWith("ConflictError:") && refused.contains("1 agent"), refused);
        assertEquals("1", host.send("user-8", "incr"));
        host.run("jaglets:dispose user-8");
        assertEquals("uninstalled jaglets.examples 8.0.0", host.run("jaglets:uninstall jaglets.examples 8.0.0"));
        String out = host.run("jaglets:create -v 8.0.0 jaglets.examples.EchoJaglet");
        assertTrue(out.startsWith("CodeError:") && out.contains("8.0.0"), out);
    }

    @Test
    void aBundleWithoutTheAgentHeaderIsRefused() {
        Path plain = Bundles.variant(jars.resolve("plain.jar"), a -> {
            a.remove(new java.util.jar.Attributes.Name("Jaglet-Classes"));
            a.putValue("Bundle-SymbolicName", "plain.library");
        });
        String out = host.run("jaglets:deploy " + plain);
        assertTrue(out.startsWith("CodeError:") && out.contains("Jaglet-Classes"), out);
        assertTrue(host.run("jaglets:deploy /no/such/file.jar").startsWith("CodeError:"));
    }

    @Test
    void unknownClassesAndVersionsAreClearErrors() {
        String unknownClass = host.run("jaglets:create jaglets.examples.NoSuchJaglet");
        assertTrue(unknownClass.startsWith("CodeError:") && unknownClass.contains("EchoJaglet"), unknownClass);
        String unknownVersion = host.run("jaglets:create -v 99.0.0 jaglets.examples.EchoJaglet");
        assertTrue(unknownVersion.startsWith("CodeError:") && unknownVersion.contains("0.1.0.SNAPSHOT"), unknownVersion);
        assertTrue(host.run("jaglets:create -v not-a-version jaglets.examples.EchoJaglet").startsWith("BadRequestError:"));
    }

    private static JsonNode listed(HostProcess on, String symbolicName, String version) {
        for (JsonNode b : on.json("jaglets:bundles -j")) {
            if (b.path("symbolicName").asText().equals(symbolicName) && b.path("version").asText().equals(version)) {
                return b;
            }
        }
        return null;
    }

    @Test
    void theDeclaredCompatibilityIsListedAndAnUnknownOneIsRefusedAtDeployment() {
        host.run("jaglets:deploy " + Bundles.declaring(jars, "declared.major", "3.0.0", "major"));
        host.run("jaglets:deploy " + Bundles.declaring(jars, "declared.nothing", "3.1.0", null));
        assertEquals("major", listed(host, "declared.major", "3.0.0").path("compatibility").asText());
        assertEquals("exact", listed(host, "declared.nothing", "3.1.0").path("compatibility").asText());
        assertTrue(host.run("jaglets:bundles").contains("COMPATIBILITY"));

        String out = host.run("jaglets:deploy " + Bundles.declaring(jars, "declared.wrongly", "3.2.0", "sideways"));

        assertTrue(out.startsWith("CodeError:") && out.contains("declared.wrongly 3.2.0")
                && out.contains("Jaglet-Compatibility") && out.contains("'sideways'"), out);
        assertNull(listed(host, "declared.wrongly", "3.2.0"));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * A record can outlive its version on a host: here the bundle store is restored without it.
     * A version declaring {@code major} lets the agent activate on another 4.x; one declaring
     * nothing needs its own and the activation names what the host has.
     */
    @Test
    void aRecordWhoseVersionIsGoneActivatesOnACompatibleOneOrNamesWhatIsInstalled() throws Exception {
        try (HostProcess restored = HostProcess.start(home.resolve("restored"), "restored")) {
            restored.run("jaglets:deploy " + Bundles.declaring(jars, "restore.major", "4.0.0", "major"));
            restored.run("jaglets:deploy " + Bundles.declaring(jars, "restore.major", "4.3.0", "major"));
            restored.run("jaglets:deploy " + Bundles.declaring(jars, "restore.exact", "5.0.0", null));
            restored.run("jaglets:deploy " + Bundles.declaring(jars, "restore.exact", "5.3.0", null));
            assertEquals("created lenient", restored.run("jaglets:create -i lenient -v 4.0.0 " + ECHO));
            assertEquals("created demanding", restored.run("jaglets:create -i demanding -v 5.0.0 " + ECHO));
            restored.send("lenient", "incr");
            restored.run("jaglets:deactivate lenient");
            restored.run("jaglets:deactivate demanding");
            restored.stop();
            deleteTree(restored.dataDir().resolve("bundles").resolve("restore.major").resolve("4.0.0"));
            deleteTree(restored.dataDir().resolve("bundles").resolve("restore.exact").resolve("5.0.0"));
            restored.launch();
            assertNull(listed(restored, "restore.major", "4.0.0"), "the restored store lacks 4.0.0");

            assertEquals("activated lenient", restored.run("jaglets:activate lenient"));
            String refused = restored.run("jaglets:activate demanding");

            assertEquals("4.3.0", restored.agent("lenient").path("bundleVersion").asText());
            assertEquals("2", restored.send("lenient", "incr"));
            assertTrue(refused.startsWith("CodeError:") && refused.contains("needs bundle restore.exact 5.0.0,")
                    && refused.contains("restore.exact 5.3.0"), refused);
            assertFalse(restored.agent("demanding").path("active").asBoolean());
            assertEquals("5.0.0", restored.agent("demanding").path("bundleVersion").asText());
        }
    }

    @Test
    void aBundleDroppedIntoTheDeployFolderBecomesAvailable() throws Exception {
        Path jar = Bundles.withVersion(jars, "9.1.0");
        Files.copy(jar, home.resolve("deploy").resolve("examples-9.1.0.jar"), StandardCopyOption.REPLACE_EXISTING);
        HostProcess.awaitCondition(() -> {
            for (JsonNode b : host.json("jaglets:bundles -j")) {
                if (b.path("version").asText().equals("9.1.0") && b.path("deployed").asBoolean()) {
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(30), "the deploy folder bundle to be registered");
        assertEquals("created dropped-1", host.run("jaglets:create -i dropped-1 -v 9.1.0 jaglets.examples.EchoJaglet"));
        assertEquals("\"pong\"", host.send("dropped-1", "ping"));
    }
}
