package jaglets.mesh;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One host as the mesh knows it (paglets' {@code HostRef}).
 *
 * @param codeVersion the mesh version; hosts of another version are never registered
 * @param lastSeen when this host was last heard of, directly or through another host
 * @param error why it was last unreachable, if it was
 */
public record HostRef(String name, String url, String codeVersion, boolean online, Instant lastSeen,
                      int activeCount, int inactiveCount, List<String> tags, Map<String, String> properties,
                      String error) {

    public HostRef {
        tags = tags == null ? List.of() : List.copyOf(tags);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public HostRef seen(Instant when, boolean isOnline, String why) {
        return new HostRef(name, url, codeVersion, isOnline, when, activeCount, inactiveCount, tags, properties, why);
    }

    /** A host URL in canonical form: scheme added if missing, no trailing slash. */
    public static String normalizeUrl(String url) {
        String value = url.trim();
        if (!value.contains("://")) {
            value = "http://" + value;
        }
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }
}
