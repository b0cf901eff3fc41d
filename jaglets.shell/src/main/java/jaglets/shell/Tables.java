package jaglets.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jaglets.api.AgentSummary;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.HostEvent;
import jaglets.runtime.HostHealth;
import java.util.ArrayList;
import java.util.List;

/**
 * What a host's answers look like to people, whatever surface prints them (the Gogo commands,
 * the {@code jaglets} terminal client): tables, one-line confirmations, and JSON for scripts.
 */
public final class Tables {
    /** Records with their Java field names, times as ISO-8601 text. */
    static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private Tables() {
    }

    /** Any answer (a record, a list of them, a reply) as one line of JSON. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new JagletException(ErrorType.SERIALIZATION, e.getOriginalMessage());
        }
    }

    /** The line that confirms a change: {@code created echo-1}, {@code uninstalled com.example 1.0.0}. */
    public static String done(String verb, String... subjects) {
        return verb + " " + String.join(" ", subjects);
    }

    /** The line that confirms a move: {@code dispatched echo-1 to http://127.0.0.1:8766}. */
    public static String moved(String verb, String agentId, jaglets.api.JagletProxyRef location) {
        return verb + " " + agentId + (location.agentId().equals(agentId) ? "" : " as " + location.agentId())
                + " to " + location.hostUrl();
    }

    public static String deployed(AgentBundle b) {
        return "deployed " + b.symbolicName() + " " + b.version() + " offering " + b.classes();
    }

    public static String agents(List<AgentSummary> agents) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"AGENT", "STATUS", "CLASS", "BUNDLE", "PID", "MAILBOX"});
        for (AgentSummary a : agents) {
            String status = a.crashed() ? "crashed" + (a.exitCode() == null ? "" : "(" + a.exitCode() + ")")
                    : a.active() ? "active" : "inactive";
            rows.add(new String[] {a.agentId(), status, a.className(), a.bundleSymbolicName() + " " + a.bundleVersion(),
                    a.pid() == null ? "-" : a.pid().toString(),
                    a.mailbox().queuedCount() + " queued, " + a.mailbox().deliveredCount() + " delivered"});
        }
        return render(rows) + agents.size() + " agent(s)";
    }

    public static String bundles(List<AgentBundle> bundles) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BUNDLE", "VERSION", "COMPATIBILITY", "DEPLOYED", "AGENTS", "CLASSES"});
        for (AgentBundle b : bundles) {
            rows.add(new String[] {b.symbolicName(), b.version(), b.compatibility().wireName(),
                    b.deployed() ? "yes" : "no", String.valueOf(b.agentCount()), String.join(", ", b.classes())});
        }
        return render(rows) + bundles.size() + " bundle version(s)";
    }

    public static String events(List<HostEvent> events) {
        StringBuilder out = new StringBuilder();
        for (HostEvent e : events) {
            out.append(e.eventId()).append(' ').append(e.timestamp()).append(' ').append(e.kind());
            if (e.agentId() != null) {
                out.append(" agent=").append(e.agentId());
            }
            if (!e.data().isEmpty()) {
                out.append(' ').append(e.data());
            }
            if (e.error() != null) {
                out.append(" error=").append(e.error());
            }
            out.append('\n');
        }
        return out.toString();
    }

    public static String health(HostHealth h) {
        return "host " + h.name() + " at " + h.address() + ": " + h.activeCount() + " active, " + h.inactiveCount()
                + " inactive, " + h.crashedCount() + " crashed; " + h.pooledChildren() + " pooled children"
                + (h.childArchive() ? " (class-data archive in use)" : "") + "; data in " + h.dataDir();
    }

    private static String render(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], String.valueOf(row[i]).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String cell = String.valueOf(row[i]);
                out.append(cell);
                if (i < row.length - 1) {
                    out.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
