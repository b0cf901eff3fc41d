package jaglets.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import jaglets.api.AgentStatus;
import jaglets.api.ArrivalMode;
import jaglets.api.TransferTicket;
import jaglets.api.DeactivationPolicy;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.runtime.CreateRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a person types, read the same way by every surface that takes it (the Gogo commands and
 * the {@code jaglets} terminal client): JSON option values, agent listings, messages, send
 * options and deactivation policies. Bad input is a {@link ErrorType#BAD_REQUEST} that says what
 * was wrong.
 */
public final class CommandInput {
    /** How long a send waits for its reply unless told otherwise. */
    public static final int DEFAULT_REPLY_TIMEOUT_SECONDS = 30;

    private CommandInput() {
    }

    /** A JSON option value as plain Java values; {@code null} for an absent or blank value. */
    public static Object json(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Tables.JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code active}, {@code inactive} or {@code all}, in any case. */
    public static AgentStatus agentStatus(String which) {
        for (AgentStatus status : AgentStatus.values()) {
            if (status.name().equalsIgnoreCase(which == null ? "" : which.trim())) {
                return status;
            }
        }
        throw new JagletException(ErrorType.BAD_REQUEST, "which agents: active, inactive or all, not '" + which + "'");
    }

    /**
     * A new agent.
     *
     * @param version blank for the newest deployed version
     * @param agentId blank for a random id
     * @param stateJson blank for the state class's defaults
     * @param initJson blank for {@code null}
     */
    public static CreateRequest createRequest(String className, String version, String agentId, String stateJson,
                                              String initJson) {
        return new CreateRequest(className, blankToNull(version), blankToNull(agentId), json(stateJson), json(initJson));
    }

    /**
     * A message.
     *
     * @param argsJson its named arguments, a JSON object (blank for none)
     * @param argJson its one unnamed argument, any JSON value (blank for none)
     */
    public static Message message(String kind, String argsJson, String argJson, int priority) {
        Object args = json(argsJson);
        if (args != null && !(args instanceof Map)) {
            throw new JagletException(ErrorType.BAD_REQUEST, "message args must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> named = args == null ? Map.of() : (Map<String, Object>) args;
        return Message.of(kind).withArgs(named).withArg(json(argJson)).withPriority(priority);
    }

    /** How a message is delivered, from the flags of a send command. */
    public static SendOptions sendOptions(boolean noActivate, boolean noDelay, double timeoutSeconds) {
        if (!(timeoutSeconds > 0)) {
            throw new JagletException(ErrorType.BAD_REQUEST, "the reply timeout must be a positive number of seconds");
        }
        return new SendOptions(!noActivate, noDelay, Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
    }

    /**
     * The policy of a deactivation, from the flags of a deactivate command.
     *
     * @param afterSeconds activate again this many seconds from now; negative for no timer
     */
    public static DeactivationPolicy policy(double afterSeconds, boolean onStartup, boolean noActivateOnMessage,
                                            boolean noQueue) {
        return new DeactivationPolicy(!noActivateOnMessage, !noQueue, onStartup,
                afterSeconds < 0 ? null : Instant.now().plusMillis(Math.round(afterSeconds * 1000)));
    }

    /**
     * A transfer ticket from the flags of a dispatch or clone command.
     *
     * @param destination a host name or URL; blank for "this host" (clones only)
     * @param capabilities comma-separated required capabilities, or blank
     */
    public static TransferTicket ticket(String destination, double timeoutSeconds, int retries, boolean inactive,
                                        String capabilities, String expectedBundleVersion) {
        if (!(timeoutSeconds > 0)) {
            throw new JagletException(ErrorType.BAD_REQUEST, "the transfer timeout must be a positive number of seconds");
        }
        List<String> required = blankToNull(capabilities) == null ? List.of()
                : java.util.Arrays.stream(capabilities.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
        return TransferTicket.to(blankToNull(destination))
                .withTimeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)))
                .withRetries(retries, null)
                .withArrivalMode(inactive ? ArrivalMode.INACTIVE : ArrivalMode.ACTIVATE)
                .withRequiredCapabilities(required)
                .withExpectedBundleVersion(blankToNull(expectedBundleVersion));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
