package jaglets.runtime.internal.lifecycle;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.TransferTicket;
import jaglets.protocol.Envelope;
import jaglets.protocol.WireError;
import jaglets.runtime.RequiredCode;
import jaglets.runtime.TransferTransport;
import jaglets.runtime.internal.events.EventLog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.framework.Version;

/**
 * The checks before an agent's leaving hooks run: the destination resolved (mesh name or URL,
 * this host included), then the ticket's requirements held against what the target announces.
 */
final class MovePreflight {
    private final HostSettings settings;
    private final EventLog events;
    private final Supplier<TransferTransport> transports;

    MovePreflight(HostSettings settings, EventLog events, Supplier<TransferTransport> transports) {
        this.settings = settings;
        this.events = events;
        this.transports = transports;
    }

    /** Resolves the ticket's destination and checks it can take the agent; nothing is changed. */
    AgentMoves.Target check(AgentSlot slot, Envelope.Kind kind, TransferTicket ticket) {
        try {
            AgentMoves.Target target = resolve(kind, ticket.destination());
            if (ticket.expectedBundleVersion() != null && !sameVersion(ticket.expectedBundleVersion(), slot.bundleVersion)) {
                throw new JagletException(ErrorType.TRANSFER, "agent " + slot.agentId + " runs "
                        + slot.bundleSymbolicName + " " + slot.bundleVersion + ", not the expected "
                        + ticket.expectedBundleVersion());
            }
            if (target.local()) {
                return target;
            }
            TransferTransport remote = transport();
            if (ticket.requiredCapabilities().isEmpty() && ticket.expectedCodeVersion() == null
                    && ticket.expectedBundleVersion() == null) {
                // the mesh vouches for a host it heard from just now; the prepare step reaches it anyway
                Optional<String> name = remote.onlineName(target.url());
                if (name.isPresent()) {
                    return new AgentMoves.Target(target.url(), name.get(), false);
                }
            }
            TransferTransport.TargetInfo info = remote.describe(target.url(), ticket.timeout());
            List<String> missing = ticket.requiredCapabilities().stream()
                    .filter(c -> !info.capabilities().contains(c)).toList();
            if (!missing.isEmpty()) {
                throw new JagletException(ErrorType.TRANSFER, "host " + info.name() + " lacks required capabilities "
                        + missing);
            }
            if (ticket.expectedCodeVersion() != null && !ticket.expectedCodeVersion().equals(info.codeVersion())) {
                throw new JagletException(ErrorType.TRANSFER, "host " + info.name() + " runs code version "
                        + info.codeVersion() + ", not the expected " + ticket.expectedCodeVersion());
            }
            if (ticket.expectedBundleVersion() != null) {
                // the target's own rule: its exact version, or one the version's declared compatibility admits
                RequiredCode code = new RequiredCode(slot.bundleSymbolicName, slot.bundleVersion, slot.className,
                        slot.bundleCompatibility);
                if (!remote.hasBundle(target.url(), code, ticket.timeout())) {
                    throw new JagletException(ErrorType.TRANSFER, "host " + info.name() + " does not have "
                            + code.describe());
                }
            }
            return new AgentMoves.Target(target.url(), info.name(), false);
        } catch (RuntimeException e) {
            JagletException error = WireError.asJagletException(e);
            events.emit("transfer-failed", slot.agentId, slot.className, null,
                    Map.of("stage", "preflight", "kind", kind.wireName()), error.getMessage());
            throw error.type() == ErrorType.TRANSFER || error.type() == ErrorType.BAD_REQUEST ? error
                    : new JagletException(ErrorType.TRANSFER, "preflight of " + kind.wireName() + " to "
                    + ticket.destination() + " failed: " + error.getMessage(), error);
        }
    }

    private AgentMoves.Target resolve(Envelope.Kind kind, String destination) {
        if (destination == null || destination.isBlank()) {
            if (kind == Envelope.Kind.CLONE) {
                return new AgentMoves.Target(settings.address(), settings.name(), true);
            }
            throw new JagletException(ErrorType.BAD_REQUEST, "a " + kind.wireName() + " needs a destination host");
        }
        if (destination.equals(settings.name()) || destination.equals(settings.address())) {
            return new AgentMoves.Target(settings.address(), settings.name(), true);
        }
        String url = transport().resolve(destination);
        boolean local = url.equals(settings.address());
        return new AgentMoves.Target(url, local ? settings.name() : null, local);
    }

    private static boolean sameVersion(String a, String b) {
        try {
            return Version.parseVersion(a).equals(Version.parseVersion(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The transport to other hosts, or an error saying this host has none. */
    TransferTransport transport() {
        TransferTransport current = transports.get();
        if (current == null) {
            throw new JagletException(ErrorType.REMOTE_HOST, "host " + settings.name()
                    + " has no transport to other hosts; it can move agents only within itself");
        }
        return current;
    }
}
