package jaglets.api;

/**
 * A storable reference to an agent: keep it in state, it survives deactivation and movement
 * of the holder. Resolve it with {@link JagletContext#resolve(JagletProxyRef)}.
 */
public record JagletProxyRef(String hostUrl, String agentId) {
    public JagletProxyRef {
        if (agentId == null || agentId.isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a proxy reference needs an agent id");
        }
    }
}
