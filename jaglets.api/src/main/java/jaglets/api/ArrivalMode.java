package jaglets.api;

/** What a target host does with an agent that arrives: run it, or store it inactive. */
public enum ArrivalMode {
    /** Start the agent at once: {@code onArrival} (or {@code onClone}), then {@code run()}. */
    ACTIVATE,
    /** Store the agent as an inactive record; its next activation runs {@code onActivation}. */
    INACTIVE;

    /** The name on the wire: {@code activate} or {@code inactive}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ArrivalMode fromWireName(String name) {
        for (ArrivalMode mode : values()) {
            if (mode.wireName().equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw new JagletException(ErrorType.BAD_REQUEST, "arrival_mode must be 'activate' or 'inactive', not '"
                + name + "'");
    }
}
