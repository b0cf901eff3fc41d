package jaglets.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which installed versions of an agent bundle may run the state of an agent that recorded
 * another version, as the agent's own bundle version declares it (manifest header
 * {@code Jaglet-Compatibility}). It travels with the agent, in envelopes and inactive records,
 * because a host that lacks the recorded version cannot read that version's manifest.
 */
public enum BundleCompatibility {
    /** Only the recorded version runs the agent; the default. */
    EXACT,
    /** Any version with the same major number runs it; the recorded one is preferred, else the newest. */
    MAJOR;

    /** The value in the manifest, envelopes, records and any JSON: {@code exact} or {@code major}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a bundle's declaration: absent or blank means {@link #EXACT}, so bundles that say
     * nothing keep needing their exact version.
     *
     * @throws IllegalArgumentException for any other value, naming the allowed ones
     */
    public static BundleCompatibility fromDeclaration(String value) {
        if (value == null || value.isBlank()) {
            return EXACT;
        }
        String trimmed = value.trim();
        for (BundleCompatibility compatibility : values()) {
            if (compatibility.wireName().equals(trimmed)) {
                return compatibility;
            }
        }
        throw new IllegalArgumentException("'" + trimmed + "' is not a compatibility; use exact or major");
    }

    /**
     * Reads what an envelope or record carries. Absent (written before hosts knew the policy) and
     * unknown values (from a newer host) both mean {@link #EXACT}: the recorded version itself
     * always runs the agent, so the strictest reading is never wrong, only less flexible.
     */
    public static BundleCompatibility fromWire(String value) {
        try {
            return fromDeclaration(value);
        } catch (IllegalArgumentException e) {
            return EXACT;
        }
    }
}
