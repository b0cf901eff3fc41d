package jaglets.mesh.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The mesh's settings, read once from framework properties; {@code docs/configuration.md} lists
 * each with its default and consequence.
 *
 * @param multicast whether this host sends and hears multicast beacons
 * @param multicastGroup where beacons go (group address and UDP port)
 * @param apiKeyVariable the environment variable holding this host's API key
 */
record MeshSettings(boolean enabled, String version, List<String> tags, Map<String, String> properties,
                    List<String> seeds, Duration gossipInterval, Duration offlineAfter, int fanout, boolean multicast,
                    InetSocketAddress multicastGroup, String apiKeyVariable) {

    static final String DEFAULT_GROUP = "239.42.74.53";
    static final int DEFAULT_PORT = 48765;

    /**
     * @param property a framework property, or {@code null} when it is not set
     * @param defaultVersion the mesh version when neither the property nor the environment names one
     */
    static MeshSettings read(UnaryOperator<String> property, String defaultVersion) {
        PropertyReader read = new PropertyReader(property);
        List<String> tags = read.list("jaglets.tags").stream().map(String::toLowerCase).distinct().sorted().toList();
        Map<String, String> properties = new LinkedHashMap<>();
        for (String pair : read.list("jaglets.properties")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                properties.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        return new MeshSettings(Boolean.parseBoolean(read.get("jaglets.mesh.enabled", "true")),
                read.get("jaglets.mesh.version", defaultVersion), tags, properties, read.list("jaglets.mesh.peers"),
                Duration.ofMillis(Long.parseLong(read.get("jaglets.mesh.gossip.ms", "1000"))),
                Duration.ofMillis(Long.parseLong(read.get("jaglets.mesh.offline.ms", "10000"))),
                Integer.parseInt(read.get("jaglets.mesh.fanout", "3")),
                Boolean.parseBoolean(read.get("jaglets.mesh.multicast", "true")),
                group(read.get("jaglets.mesh.multicast.group", DEFAULT_GROUP),
                        Integer.parseInt(read.get("jaglets.mesh.multicast.port", String.valueOf(DEFAULT_PORT)))),
                read.get("jaglets.api.key.env", "JAGLETS_API_KEY"));
    }

    private static InetSocketAddress group(String address, int port) {
        InetAddress group;
        try {
            group = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("jaglets.mesh.multicast.group " + address + " is not an address", e);
        }
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("jaglets.mesh.multicast.group " + address
                    + " is not a multicast address (224.0.0.0 to 239.255.255.255)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("jaglets.mesh.multicast.port must be 1 to 65535, not " + port);
        }
        return new InetSocketAddress(group, port);
    }

    /**
     * How long one gossip exchange may take before it counts as failed. A peer that is slow once
     * is then silent for at most this plus a gossip interval on either side, which stays within the
     * offline expiry, so one slow round trip never marks a live host offline.
     */
    Duration exchangeTimeout() {
        Duration usual = gossipInterval.multipliedBy(2).plusSeconds(1);
        Duration room = offlineAfter.minus(gossipInterval.multipliedBy(2));
        if (usual.compareTo(room) <= 0) {
            return usual;
        }
        return room.compareTo(gossipInterval) > 0 ? room : gossipInterval;
    }

    /** Framework properties, blank ones counting as not set. */
    private record PropertyReader(UnaryOperator<String> property) {
        String get(String key, String fallback) {
            String value = property.apply(key);
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        /** A comma-separated list, each element trimmed, empty ones dropped. */
        List<String> list(String key) {
            return Arrays.stream(get(key, "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }
}
