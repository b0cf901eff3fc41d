package jaglets.runtime.internal.persistence;

import jaglets.api.Message;
import java.time.Instant;

/** A message stored for an inactive agent, delivered after its next activation. */
public record QueuedMessage(Message message, boolean oneway, Instant queuedAt) {
}
