package jaglets.relay.internal;

import jaglets.http.ApiKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The relay's settings, read once from framework properties; {@code docs/configuration.md} lists
 * each with its default and consequence. The fixed values below are documented there too.
 *
 * @param connectTo the hub's URL when this host runs in connect mode, else {@code null}
 * @param offlineAfter a hub counts a node offline once it has not heard from it for this long
 * @param deliveryTimeout how long a hub waits for a node's answer to an ordinary relayed request
 * @param queueLimit how many requests a hub keeps waiting for one node
 * @param maxBody the largest request body a hub relays (the API's own limit)
 * @param heartbeat how often a node connects to its hub (its gossip interval: it gossips with nobody else)
 * @param localApi the node's own API on loopback, where it replays what its hub relays
 */
record RelaySettings(String connectTo, String hostName, Duration offlineAfter, Duration deliveryTimeout,
                     int queueLimit, long maxBody, String apiKeyVariable, Duration heartbeat, String localApi,
                     int meshFanout) {

    /** How long a node's poll waits at its hub for a request (below Jetty's 30 s idle timeout). */
    static final Duration POLL_WAIT = Duration.ofSeconds(25);
    /** What a node allows a poll in all: the wait and room for the answer to arrive. */
    static final Duration POLL_CALL_TIMEOUT = POLL_WAIT.plusSeconds(10);
    /** A node's other calls to its hub: connect, ack; and its health read from its own API. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** A node's pause after a failed poll. */
    static final Duration BACK_OFF = Duration.ofSeconds(1);
    /**
     * How long a hub waits for a node's answer to a movement request ({@code dispatch},
     * {@code clone}, {@code retract}, a transfer's {@code commit}): the source host waits up to
     * the agent's settle time plus an operation timeout (60 s by default) for these.
     */
    static final Duration MOVE_TIMEOUT = Duration.ofSeconds(120);
    /** A hub accepts answers up to this many times the request limit (listings with states are large). */
    static final int REPLY_LIMIT_FACTOR = 4;
    /** At most this many relayed requests run at once on a node; further ones wait their turn. */
    static final int NODE_THREADS = 64;

    static final long DEFAULT_MAX_BODY = 64L * 1024 * 1024;

    static RelaySettings read(UnaryOperator<String> property) {
        UnaryOperator<String> get = key -> {
            String value = property.apply(key);
            return value == null || value.isBlank() ? null : value.strip();
        };
        String connect = get.apply("jaglets.relay.connect");
        String bind = or(get.apply("org.apache.felix.http.host"), "127.0.0.1");
        String port = or(get.apply("org.osgi.service.http.port"), "8765");
        return new RelaySettings(connect == null ? null : normalizeUrl(connect),
                or(get.apply("jaglets.name"), "jaglets"),
                Duration.ofMillis(Long.parseLong(or(get.apply("jaglets.relay.offline.ms"), "10000"))),
                Duration.ofMillis(Long.parseLong(or(get.apply("jaglets.relay.delivery.timeout.ms"), "30000"))),
                Integer.parseInt(or(get.apply("jaglets.relay.queue.limit"), "1024")),
                Long.parseLong(or(get.apply("jaglets.http.max.body"), String.valueOf(DEFAULT_MAX_BODY))),
                or(get.apply("jaglets.api.key.env"), ApiKey.DEFAULT_VARIABLE),
                Duration.ofMillis(Long.parseLong(or(get.apply("jaglets.mesh.gossip.ms"), "1000"))),
                "http://" + loopbackHost(bind) + ":" + port,
                Integer.parseInt(or(get.apply("jaglets.mesh.fanout"), "3")));
    }

    boolean connectMode() {
        return connectTo != null;
    }

    /** The address other hosts reach this node by: its hub's relay route for its name. */
    String relayAddress() {
        return nodeUrl(connectTo, hostName);
    }

    /** {@code <hub>/relay/hosts/<name>}, the name encoded as one path segment. */
    static String nodeUrl(String hubUrl, String nodeName) {
        return normalizeUrl(hubUrl) + "/relay/hosts/" + encode(nodeName);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String normalizeUrl(String url) {
        String value = url.strip();
        if (!value.contains("://")) {
            value = "http://" + value;
        }
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }

    /** Where this host's own API answers on loopback, whatever interface it listens on. */
    private static String loopbackHost(String bind) {
        return switch (bind) {
            case "0.0.0.0", "::", "[::]", "localhost", "127.0.0.1" -> "127.0.0.1";
            default -> bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
        };
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
