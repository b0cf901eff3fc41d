package jaglets.mesh.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.mesh.HostRef;
import jaglets.mesh.HostRefs;
import jaglets.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The multicast beacon datagram, {@code {"kind":"jaglets.mesh.v1","host":<HostRef wire>}} (paglets'
 * shape under a kind of our own, so the two never take each other in).
 */
final class Beacon {
    static final String KIND = "jaglets.mesh.v1";

    private Beacon() {
    }

    static byte[] encode(HostRef host) {
        ObjectNode beacon = Json.object();
        beacon.put("kind", KIND);
        beacon.set("host", HostRefs.toWire(host));
        try {
            return Json.MAPPER.writeValueAsBytes(beacon);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The host a datagram announces, if it is a well-formed beacon of this mesh version. Anyone on
     * the network can send to the group, so anything else is dropped without a word.
     */
    static Optional<HostRef> decode(ByteBuffer datagram, String meshVersion) {
        JsonNode beacon;
        try {
            beacon = Json.MAPPER.readTree(datagram.array(), datagram.arrayOffset() + datagram.position(),
                    datagram.remaining());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (beacon == null || !KIND.equals(beacon.path("kind").asText(null))) {
            return Optional.empty();
        }
        return Optional.ofNullable(HostRefs.fromWire(beacon.get("host")))
                .filter(host -> host.codeVersion().equals(meshVersion));
    }
}
