package jaglets.runtime.internal.lifecycle;

import jaglets.api.Message;
import java.util.concurrent.CompletableFuture;

/** A message on its way to an agent and the future its sender waits on. */
record Delivery(Message message, boolean oneway, CompletableFuture<Object> reply) {
}
