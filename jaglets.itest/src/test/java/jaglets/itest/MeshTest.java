package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real host processes that form a mesh through one seed. */
class MeshTest {
    @TempDir
    Path home;

    @Test
    void hostsJoinedThroughOneSeedSeeEachOtherAndMarkAKilledOneOffline() {
        Map<String, String> fast = Map.of("jaglets.mesh.gossip.ms", "300", "jaglets.mesh.offline.ms", "3000");
        try (HostProcess a = HostProcess.start(home.resolve("a"), "mesh-a", Map.of("jaglets.mesh.gossip.ms", "300",
                "jaglets.mesh.offline.ms", "3000", "jaglets.tags", "GPU, fast ,gpu", "jaglets.properties", "zone=z1"))) {
            Map<String, String> seeded = new java.util.HashMap<>(fast);
            seeded.put("jaglets.mesh.peers", a.url());
            try (HostProcess b = HostProcess.start(home.resolve("b"), "mesh-b", seeded);
                 HostProcess c = HostProcess.start(home.resolve("c"), "mesh-c", seeded)) {
                Map<String, String> other = new java.util.HashMap<>(seeded);
                other.put("jaglets.mesh.version", "another-version");
                try (HostProcess odd = HostProcess.start(home.resolve("d"), "mesh-odd", other)) {
                    Http httpA = new Http(a.url(), null);
                    Http httpB = new Http(b.url(), null);
                    Http httpC = new Http(c.url(), null);
                    Set<String> all = Set.of("mesh-a", "mesh-b", "mesh-c");
                    HostProcess.awaitCondition(() -> httpA.onlineHosts().equals(all) && httpB.onlineHosts().equals(all)
                            && httpC.onlineHosts().equals(all), Duration.ofSeconds(30), "every host to see every other");
                    JsonNode aSeenByC = httpC.hostEntry("mesh-a");
                    assertEquals(a.url(), aSeenByC.path("url").asText());
                    assertEquals("[\"fast\",\"gpu\"]", aSeenByC.path("tags").toString());
                    assertEquals("z1", aSeenByC.path("properties").path("zone").asText());
                    assertEquals("[\"fast\",\"gpu\"]", httpA.get("/health").body().path("tags").toString());
                    assertEquals(Set.of("mesh-odd"), new Http(odd.url(), null).onlineHosts(), "another version stays alone");

                    b.kill9();
                    HostProcess.awaitCondition(() -> {
                        JsonNode bSeenByA = httpA.hostEntry("mesh-b");
                        return bSeenByA != null && !bSeenByA.path("online").asBoolean();
                    }, Duration.ofSeconds(15), "the killed host to be shown offline");
                    HostProcess.awaitCondition(() -> !httpC.hostEntry("mesh-b").path("online").asBoolean(),
                            Duration.ofSeconds(15), "the killed host to be offline for the third host too");
                    assertTrue(httpA.hostEntry("mesh-c").path("online").asBoolean());
                }
            }
        }
    }

    @Test
    void joinRefusesMalformedHostReferences() {
        try (HostProcess a = HostProcess.start(home.resolve("solo"), "mesh-solo", Map.of("jaglets.mesh.enabled", "false"))) {
            Http http = new Http(a.url(), null);
            HostProcess.awaitCondition(() -> http.get("/health").status() == 200, Duration.ofSeconds(30), "the API");
            assertEquals(400, http.post("/hosts/join", "{\"name\":1}").status());
            assertEquals(200, http.post("/hosts/join", "{\"name\":\"x\",\"url\":\"http://x:1\",\"code_version\":\"v\"}")
                    .status());
            assertEquals(Set.of("mesh-solo"), http.onlineHosts(), "a host without mesh registers nobody");
            assertFalse(http.get("/health").body().path("mesh").asBoolean());
        }
    }
}
