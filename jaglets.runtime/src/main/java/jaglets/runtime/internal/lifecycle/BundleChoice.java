package jaglets.runtime.internal.lifecycle;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.runtime.RequiredCode;
import jaglets.runtime.internal.code.BundleRegistry;
import jaglets.runtime.internal.code.StoredBundle;
import jaglets.runtime.internal.events.EventLog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which stored bundle runs an agent that arrives or activates: its recorded version, or one that
 * version's declared compatibility admits ({@link RequiredCode#chooseFrom}). An agent started on
 * another version takes it on as its own, and the host says so with a {@code bundle-substituted}
 * event.
 */
final class BundleChoice {
    private static final Logger LOG = LoggerFactory.getLogger(BundleChoice.class);

    private final BundleRegistry registry;
    private final EventLog events;

    BundleChoice(BundleRegistry registry, EventLog events) {
        this.registry = registry;
        this.events = events;
    }

    /** The bundle for an activation, or a {@code CODE} error saying what would do and what is here. */
    StoredBundle require(String agentId, RequiredCode code) {
        return registry.choose(code).orElseThrow(() -> new JagletException(ErrorType.CODE, "agent " + agentId
                + " needs bundle " + code.describe() + ", which this host lacks; it has " + installed()));
    }

    /** The bundle versions this host has, for errors that say what is missing. */
    List<String> installed() {
        return registry.list().stream().map(b -> b.symbolicName() + " " + b.version()).toList();
    }

    /**
     * The agent runs {@code bundle} from now on: listings show its version, it counts as that
     * version's user, and its record and envelopes carry what that version declares.
     */
    static void runsOn(AgentSlot slot, StoredBundle bundle) {
        slot.bundleVersion = bundle.version();
        slot.bundleCompatibility = bundle.compatibility();
    }

    /**
     * As {@link #runsOn(AgentSlot, StoredBundle)}, for an agent that needed {@code code}; when {@code bundle} is another
     * version than it recorded, emits {@code bundle-substituted} for the {@code occasion}
     * ({@code arrival}, {@code clone-arrival} or {@code activation}).
     */
    void runsOn(AgentSlot slot, RequiredCode code, StoredBundle bundle, String occasion) {
        runsOn(slot, bundle);
        if (!code.isSubstitutedBy(bundle.version())) {
            return;
        }
        Map<String, Object> data = new HashMap<>();
        data.put("symbolic_name", code.symbolicName());
        data.put("recorded_version", code.version());
        data.put("version", bundle.version());
        data.put("compatibility", code.compatibility().wireName());
        data.put("occasion", occasion);
        events.emit("bundle-substituted", slot.agentId, slot.className, null, data, null);
        LOG.info("agent {} recorded {} {} and runs {} ({} compatibility, {})", slot.agentId, code.symbolicName(),
                code.version(), bundle.version(), code.compatibility().wireName(), occasion);
    }
}
