package jaglets.runtime.internal.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.WireError;
import jaglets.protocol.WireFormat;
import jaglets.runtime.internal.child.ChildProcess;
import jaglets.runtime.internal.events.EventLog;
import jaglets.runtime.internal.mailbox.Mailbox;
import jaglets.runtime.internal.persistence.QueuedMessage;
import jaglets.runtime.internal.persistence.RecordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The message path: to an active agent's mailbox and child, or, for an inactive agent,
 * activation or a durable queue entry, as its policy and the sender's options say.
 */
final class MessageDelivery {
    private final AgentTable table;
    private final RecordStore store;
    private final EventLog events;
    private final HostSettings settings;
    private final AgentLifecycle lifecycle;

    MessageDelivery(AgentTable table, RecordStore store, EventLog events, HostSettings settings,
                    AgentLifecycle lifecycle) {
        this.table = table;
        this.store = store;
        this.events = events;
        this.settings = settings;
        this.lifecycle = lifecycle;
    }

    CompletableFuture<Object> send(String agentId, Message message, SendOptions options) {
        return deliver(agentId, message, options == null ? SendOptions.DEFAULT : options, false);
    }

    Object call(String agentId, Message message, SendOptions options) {
        SendOptions opts = options == null ? SendOptions.DEFAULT : options;
        Duration timeout = opts.timeout() == null ? settings.operationTimeout() : opts.timeout();
        return HostRuntime.await(send(agentId, message, opts), timeout, "reply from " + agentId + " to '" + message.kind() + "'");
    }

    void sendOneway(String agentId, Message message, SendOptions options) {
        CompletableFuture<Object> accepted = deliver(agentId, message, options == null ? SendOptions.DEFAULT : options,
                true);
        if (accepted.isCompletedExceptionally()) {
            accepted.join();
        }
    }

    private CompletableFuture<Object> deliver(String agentId, Message message, SendOptions options, boolean oneway) {
        try {
            table.requireOpen();
            AgentSlot slot = table.requireSlot(agentId);
            if (Message.DEACTIVATE_KIND.equals(message.kind())) {
                Object requestArg = message.args().get("request");
                DeactivationRequest request = WireFormat.request(requestArg == null ? null : Json.toTree(requestArg));
                AgentSummary summary = lifecycle.deactivate(agentId, request);
                Map<String, Object> reply = new LinkedHashMap<>();
                reply.put("deactivated", true);
                reply.put("proxy", Map.of("host_url", settings.address(), "agent_id", summary.agentId()));
                return CompletableFuture.completedFuture(oneway ? null : reply);
            }
            Delivery delivery = new Delivery(message, oneway, new CompletableFuture<>());
            submit(slot, delivery, options);
            return delivery.reply();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void submit(AgentSlot slot, Delivery delivery, SendOptions options) {
        while (true) {
            AgentSlot.Status status = slot.status;
            switch (status) {
                case STARTING, ACTIVE, ACTIVATING, DEACTIVATING, DISPOSING, DEPARTING -> {
                    try {
                        slot.mailbox.submit(delivery, delivery.message().priority());
                        return;
                    } catch (JagletException closed) {
                        Thread.onSpinWait(); // closed by a transition that is finishing: look again
                    }
                }
                case INACTIVE -> {
                    if (deliverToInactive(slot, delivery, options)) {
                        return;
                    }
                }
                case CRASHED -> throw table.crashedError(slot);
                case GONE -> throw table.unknownAgent(slot.agentId);
                default -> throw new IllegalStateException(status.name());
            }
        }
    }

    /** Returns false when the agent became active meanwhile and the caller should submit again. */
    private boolean deliverToInactive(AgentSlot slot, Delivery delivery, SendOptions options) {
        slot.lock.lock();
        try {
            if (slot.status != AgentSlot.Status.INACTIVE) {
                return false;
            }
            DeactivationPolicy policy = table.inactivePolicy(slot);
            if (options.noDelay()) {
                throw new JagletException(ErrorType.AGENT_INACTIVE, "agent " + slot.agentId + " is inactive on "
                        + settings.name() + " and no_delay forbids waiting; activate it first or send without no_delay");
            }
            if (options.activateIfInactive() && policy.activateOnMessage()) {
                lifecycle.activateLocked(slot, "message");
                return false;
            }
            if (!policy.queueMessagesWhenInactive()) {
                throw new JagletException(ErrorType.AGENT_INACTIVE, "agent " + slot.agentId + " is inactive on "
                        + settings.name() + " and its policy neither activates on messages nor queues them; "
                        + "activate it first");
            }
            Message message = delivery.message();
            store.appendQueued(slot.agentId, new QueuedMessage(message, delivery.oneway(), Instant.now()));
            events.emit("message-queued", slot.agentId, slot.className, message.messageId(),
                    Map.of("kind", message.kind()), null);
            delivery.reply().complete(delivery.oneway() ? null : queuedReply(message));
            return true;
        } finally {
            slot.lock.unlock();
        }
    }

    static Map<String, Object> queuedReply(Message message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("queued", true);
        reply.put("message_id", message.messageId());
        return reply;
    }

    Mailbox<Delivery> newMailbox(AgentSlot slot) {
        return new Mailbox<>((delivery, done) -> {
            ChildProcess child = slot.child;
            if (child == null) {
                delivery.reply().completeExceptionally(table.crashedError(slot));
                done.finished(false);
                return;
            }
            ObjectNode body = Json.object();
            try {
                body.set("message", WireFormat.message(delivery.message()));
            } catch (RuntimeException e) {
                delivery.reply().completeExceptionally(new JagletException(ErrorType.SERIALIZATION,
                        "the message cannot be written as JSON: " + e.getMessage()));
                done.finished(false);
                return;
            }
            body.put("oneway", delivery.oneway());
            child.request(Ops.MESSAGE, body).whenComplete((reply, error) -> {
                if (error != null) {
                    JagletException failure = WireError.asJagletException(error);
                    if (failure.type() == ErrorType.AGENT_CRASHED && !child.isReleased()
                            && child.awaitExit(Duration.ofSeconds(2))) {
                        // the channel closed because the JVM ended: record the crash before answering
                        table.markCrashed(slot, child.exitCode(), "its JVM exited with code " + child.exitCode());
                    }
                    if (slot.status == AgentSlot.Status.CRASHED) {
                        failure = table.crashedError(slot);
                    }
                    events.emit("message-failed", slot.agentId, slot.className, delivery.message().messageId(),
                            Map.of("kind", delivery.message().kind()), failure.getMessage());
                    delivery.reply().completeExceptionally(failure);
                    done.finished(false);
                } else {
                    events.emit("message-delivered", slot.agentId, slot.className, delivery.message().messageId(),
                            Map.of("kind", delivery.message().kind()), null);
                    delivery.reply().complete(delivery.oneway() ? null : Json.toPlain(reply.get("result")));
                    done.finished(true);
                }
            });
        });
    }
}
