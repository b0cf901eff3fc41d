package jaglets.api;

import java.time.Duration;
import java.time.Instant;

/**
 * What wakes an inactive agent and what happens to messages meanwhile.
 *
 * @param activateOnMessage a message to the inactive agent activates it (when the sender allows)
 * @param queueMessagesWhenInactive messages that do not activate it are stored durably and
 *        delivered, in order, after the next activation
 * @param activateOnStartup the host activates it when it starts
 * @param activateAt the host activates it at this instant, or never when {@code null}
 */
public record DeactivationPolicy(boolean activateOnMessage, boolean queueMessagesWhenInactive,
                                 boolean activateOnStartup, Instant activateAt) {

    /** paglets' defaults: activate on message, queue otherwise, no startup, no timer. */
    public static final DeactivationPolicy DEFAULT = new DeactivationPolicy(true, true, false, null);

    /** The default policy with a timer {@code delay} from now. */
    public static DeactivationPolicy after(Duration delay) {
        return DEFAULT.withActivateAt(Instant.now().plus(delay));
    }

    public DeactivationPolicy withActivateAt(Instant at) {
        return new DeactivationPolicy(activateOnMessage, queueMessagesWhenInactive, activateOnStartup, at);
    }

    public DeactivationPolicy withActivateOnStartup(boolean onStartup) {
        return new DeactivationPolicy(activateOnMessage, queueMessagesWhenInactive, onStartup, activateAt);
    }

    public DeactivationPolicy withActivateOnMessage(boolean onMessage) {
        return new DeactivationPolicy(onMessage, queueMessagesWhenInactive, activateOnStartup, activateAt);
    }

    public DeactivationPolicy withQueueMessagesWhenInactive(boolean queue) {
        return new DeactivationPolicy(activateOnMessage, queue, activateOnStartup, activateAt);
    }
}
