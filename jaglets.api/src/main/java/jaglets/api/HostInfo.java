package jaglets.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A host of the mesh as this host knows it. */
public record HostInfo(String name, String url, boolean online, Instant lastSeen, List<String> tags,
                       Map<String, String> properties) {
    public HostInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
