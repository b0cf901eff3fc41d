package jaglets.shell;

import jaglets.api.AgentSummary;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.HostEvent;
import jaglets.runtime.HostHealth;
import java.util.ArrayList;
import java.util.List;

/** Plain-text tables for people: the same columns whatever surface prints them. */
public final class Tables {
    private Tables() {
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
        rows.add(new String[] {"BUNDLE", "VERSION", "DEPLOYED", "AGENTS", "CLASSES"});
        for (AgentBundle b : bundles) {
            rows.add(new String[] {b.symbolicName(), b.version(), b.deployed() ? "yes" : "no",
                    String.valueOf(b.agentCount()), String.join(", ", b.classes())});
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
