package jaglets.mesh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.mesh.HostRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The beacon datagram: what a host announces, and what a listener takes in. */
class BeaconTest {
    private static final HostRef ALPHA = new HostRef("alpha", "http://10.0.0.7:8765", "v1", true,
            Instant.parse("2026-11-21T12:00:00Z"), 2, 5, List.of("gpu"), Map.of("zone", "z1"), null);

    private static Optional<HostRef> decode(String text, String version) {
        return Beacon.decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), version);
    }

    @Test
    void aBeaconCarriesTheHostInPagletsShapeUnderItsOwnKind() {
        String text = new String(Beacon.encode(ALPHA), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"kind\":\"jaglets.mesh.v1\",\"host\":{\"name\":\"alpha\""), text);
        assertTrue(text.contains("\"code_version\":\"v1\""), text);
        assertTrue(text.contains("\"active_count\":2"), text);
    }

    @Test
    void aBeaconOfTheSameMeshVersionDecodesToTheAnnouncedHost() {
        HostRef heard = Beacon.decode(ByteBuffer.wrap(Beacon.encode(ALPHA)), "v1").orElseThrow();
        assertEquals(ALPHA, heard);
    }

    @Test
    void aBeaconReadFromTheMiddleOfABufferDecodes() {
        byte[] beacon = Beacon.encode(ALPHA);
        ByteBuffer buffer = ByteBuffer.allocate(beacon.length + 20);
        buffer.position(10);
        buffer.put(beacon).flip().position(10);
        assertEquals(Optional.of(ALPHA), Beacon.decode(buffer, "v1"));
    }

    @Test
    void beaconsOfAnotherMeshVersionAreIgnored() {
        assertEquals(Optional.empty(), Beacon.decode(ByteBuffer.wrap(Beacon.encode(ALPHA)), "v2"));
    }

    @Test
    void otherKindsAndMalformedDatagramsAreIgnored() {
        String host = "{\"name\":\"x\",\"url\":\"http://x:1\",\"code_version\":\"v1\"}";
        assertTrue(decode("{\"kind\":\"jaglets.mesh.v1\",\"host\":" + host + "}", "v1").isPresent(),
                "the shortest well-formed beacon");
        assertEquals(Optional.empty(), decode("{\"kind\":\"paglets.remote.mesh.v1\",\"host\":" + host + "}", "v1"));
        assertEquals(Optional.empty(), decode("{\"host\":" + host + "}", "v1"));
        assertEquals(Optional.empty(), decode("{\"kind\":\"jaglets.mesh.v1\"}", "v1"));
        assertEquals(Optional.empty(), decode("{\"kind\":\"jaglets.mesh.v1\",\"host\":{\"name\":\"x\"}}", "v1"));
        assertEquals(Optional.empty(), decode("{\"kind\":\"jaglets.mesh.v1\",\"host\":[1]}", "v1"));
        assertEquals(Optional.empty(), decode("[\"jaglets.mesh.v1\"]", "v1"));
        assertEquals(Optional.empty(), decode("{\"kind\":\"jaglets.mesh.v1\",\"host\":" + host, "v1"));
        assertEquals(Optional.empty(), decode("", "v1"));
        assertEquals(Optional.empty(), Beacon.decode(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0, 1}), "v1"));
    }
}
