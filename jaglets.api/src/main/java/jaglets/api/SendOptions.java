package jaglets.api;

import java.time.Duration;

/**
 * How a message is delivered.
 *
 * @param activateIfInactive an inactive target whose policy allows it is activated first
 * @param noDelay never wait for an activation and never queue: an inactive target fails at
 *        once with {@link ErrorType#AGENT_INACTIVE}
 * @param timeout how long a synchronous send waits for the reply ({@code null}: the host default)
 */
public record SendOptions(boolean activateIfInactive, boolean noDelay, Duration timeout) {

    public static final SendOptions DEFAULT = new SendOptions(true, false, null);

    public SendOptions withTimeout(Duration newTimeout) {
        return new SendOptions(activateIfInactive, noDelay, newTimeout);
    }

    public SendOptions withNoDelay(boolean newNoDelay) {
        return new SendOptions(activateIfInactive, newNoDelay, timeout);
    }

    public SendOptions withActivateIfInactive(boolean activate) {
        return new SendOptions(activate, noDelay, timeout);
    }
}
