package jaglets.relay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub side of the relay, without HTTP: the nodes that connected, a bounded queue of requests
 * for each, and the callers waiting for their answers. A node is online while it has been heard
 * from (a connect, a poll, an answer) within {@code offlineAfter}; a request to a node that is
 * not, or that goes offline while the request waits, fails at once instead of waiting out its
 * timeout. Thread-safe.
 */
final class RelayHub {
    private static final Logger LOG = LoggerFactory.getLogger(RelayHub.class);
    /** How often a waiting caller checks that its node is still online. */
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Pattern MOVE_ROUTE = Pattern.compile("/agents/[^/]+/(dispatch|clone|retract)|/transfers/[^/]+/commit");
    private static final Pattern MESSAGE_ROUTE = Pattern.compile("/agents/[^/]+/messages");

    /** A request on its way to a node. */
    record Delivery(String id, String node, RelayRequest request, Duration timeout) {
    }

    private final String hubName;
    private final Duration offlineAfter;
    private final Duration deliveryTimeout;
    private final int queueLimit;
    private final Clock clock;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    RelayHub(String hubName, Duration offlineAfter, Duration deliveryTimeout, int queueLimit, Clock clock) {
        this.hubName = hubName;
        this.offlineAfter = offlineAfter;
        this.deliveryTimeout = deliveryTimeout;
        this.queueLimit = queueLimit;
        this.clock = clock;
    }

    // ---- the node's side -----------------------------------------------------------------------

    /** A node announces itself with its health; returns its name. */
    String connect(JsonNode health) {
        JsonNode name = health == null ? null : health.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "the body must be {\"health\": {...}} with the node's 'name'");
        }
        if (name.asText().equals(hubName)) {
            throw new JagletException(ErrorType.CONFLICT, "a relay node cannot take the hub's own name '" + hubName + "'");
        }
        Node node = nodes.computeIfAbsent(name.asText(), Node::new);
        boolean returning = node.lastSeen == null || !online(node);
        node.health = health;
        node.seen(clock.instant());
        if (returning) {
            LOG.info("relay node '{}' connected (address {})", node.name, health.path("address").asText("?"));
        }
        return node.name;
    }

    /**
     * Waits up to {@code wait} for the next request for this node; {@code null} when none came.
     * A newer poll from the same node ends an older one (a restarted node's old poll is dead).
     */
    Delivery poll(String nodeName, Duration wait) {
        Node node = nodes.get(nodeName);
        if (node == null) {
            throw new JagletException(ErrorType.NOT_FOUND, "relay node '" + nodeName
                    + "' has not connected to this hub; POST /relay/connect first");
        }
        node.seen(clock.instant());
        Delivery delivery;
        try {
            delivery = node.take(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            node.seen(clock.instant());
        }
        return delivery;
    }

    /** A poll's answer could not be written: the request goes back to the head of its queue. */
    void undelivered(Delivery delivery) {
        Node node = nodes.get(delivery.node());
        if (node != null && waiting.containsKey(delivery.id())) {
            node.putBack(delivery);
        }
    }

    /** A node's answer; returns {@code false} when it is a duplicate (or its caller gave up). */
    boolean answer(String deliveryId, RelayReply reply) {
        Waiting caller = waiting.get(deliveryId);
        if (caller == null || !caller.answer.complete(reply)) {
            return false;
        }
        caller.node.seen(clock.instant());
        return true;
    }

    // ---- the caller's side ---------------------------------------------------------------------

    boolean knows(String nodeName) {
        return nodes.containsKey(nodeName);
    }

    /** Relays a request to a node and waits for its answer, at most {@link #timeoutFor}. */
    RelayReply forward(String nodeName, RelayRequest request) {
        Node node = nodes.get(nodeName);
        if (node == null) {
            throw new JagletException(ErrorType.NOT_FOUND, "no relay node named '" + nodeName
                    + "' has connected to hub " + hubName + "; connected: " + nodes.keySet().stream().sorted().toList());
        }
        if (!online(node)) {
            throw failed(node, offline(node));
        }
        Duration timeout = timeoutFor(request);
        Delivery delivery = new Delivery(UUID.randomUUID().toString().replace("-", ""), node.name, request, timeout);
        Waiting caller = new Waiting(node, new CompletableFuture<>());
        waiting.put(delivery.id(), caller);
        try {
            if (!node.offer(delivery, queueLimit)) {
                throw failed(node, new JagletException(ErrorType.REMOTE_HOST, "Relay queue for '" + node.name
                        + "' is full (" + queueLimit + " deliveries)"));
            }
            return await(node, delivery, caller.answer);
        } finally {
            waiting.remove(delivery.id());
            node.withdraw(delivery);
        }
    }

    private RelayReply await(Node node, Delivery delivery, CompletableFuture<RelayReply> answer) {
        long deadline = System.nanoTime() + delivery.timeout().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw failed(node, new JagletException(ErrorType.TIMEOUT, "Relay delivery to '" + node.name
                        + "' timed out after " + seconds(delivery.timeout()) + " (" + delivery.request() + ")"));
            }
            try {
                return answer.get(Math.min(left, CHECK_NANOS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (!online(node)) {
                    throw failed(node, offline(node));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JagletException(ErrorType.TIMEOUT, "interrupted while waiting for relay node '" + node.name + "'");
            } catch (ExecutionException e) {
                throw new IllegalStateException("relay answers are never failed futures", e);
            }
        }
    }

    /**
     * How long a caller waits for the node's answer: movement steps as long as the source host
     * waits for them, a message at least as long as its own timeout, anything else the
     * configured delivery timeout.
     */
    Duration timeoutFor(RelayRequest request) {
        if (MOVE_ROUTE.matcher(request.path()).matches()) {
            return max(RelaySettings.MOVE_TIMEOUT, deliveryTimeout);
        }
        if (MESSAGE_ROUTE.matcher(request.path()).matches() && request.body().length > 0) {
            try {
                JsonNode timeout = Json.MAPPER.readTree(request.body()).path("timeout");
                if (timeout.isNumber() && timeout.asDouble() > 0) {
                    return max(Duration.ofMillis(Math.round(timeout.asDouble() * 1000)).plusSeconds(5), deliveryTimeout);
                }
            } catch (java.io.IOException e) {
                // not JSON: the node itself will refuse it
            }
        }
        return deliveryTimeout;
    }

    // ---- state ---------------------------------------------------------------------------------

    boolean online(String nodeName) {
        Node node = nodes.get(nodeName);
        return node != null && online(node);
    }

    JsonNode health(String nodeName) {
        Node node = nodes.get(nodeName);
        return node == null ? null : node.health;
    }

    Instant lastSeen(String nodeName) {
        Node node = nodes.get(nodeName);
        return node == null ? null : node.lastSeen;
    }

    List<String> nodeNames() {
        return nodes.keySet().stream().sorted().toList();
    }

    /** {@code {"nodes": [{name, address, online, last_seen, last_seen_age, active_polls, queue_depth, in_flight, last_error}]}}. */
    ObjectNode diagnostics() {
        ObjectNode reply = Json.object();
        ArrayNode list = reply.putArray("nodes");
        Instant now = clock.instant();
        for (String name : nodeNames()) {
            Node node = nodes.get(name);
            if (node.lastSeen == null) {
                continue; // connecting right now
            }
            ObjectNode entry = list.addObject();
            entry.put("name", name);
            entry.put("address", node.health == null ? null : node.health.path("address").asText(null));
            entry.put("online", online(node));
            entry.put("last_seen", node.lastSeen.toEpochMilli() / 1000.0);
            entry.put("last_seen_age", Duration.between(node.lastSeen, now).toMillis() / 1000.0);
            entry.put("active_polls", node.activePolls());
            entry.put("queue_depth", node.queueDepth());
            entry.put("in_flight", node.inFlight.size());
            entry.put("last_error", node.lastError);
        }
        return reply;
    }

    private boolean online(Node node) {
        Instant seen = node.lastSeen;
        return seen != null && Duration.between(seen, clock.instant()).compareTo(offlineAfter) < 0;
    }

    private JagletException offline(Node node) {
        Instant seen = node.lastSeen;
        return new JagletException(ErrorType.REMOTE_HOST, "Relay target '" + node.name + "' is offline/not polling ("
                + (seen == null ? "never seen" : "last seen " + seconds(Duration.between(seen, clock.instant())) + " ago")
                + ")");
    }

    private JagletException failed(Node node, JagletException error) {
        node.lastError = error.getMessage();
        LOG.warn("{}", error.getMessage());
        return error;
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private record Waiting(Node node, CompletableFuture<RelayReply> answer) {
    }

    /** One node: its health, when it was last heard from, and the requests waiting for its poll. */
    private static final class Node {
        final String name;
        volatile JsonNode health;
        volatile Instant lastSeen;
        volatile String lastError;
        final Set<String> inFlight = ConcurrentHashMap.newKeySet();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Deque<Delivery> queue = new ArrayDeque<>();
        private long pollGeneration;
        private int activePolls;

        Node(String name) {
            this.name = name;
        }

        void seen(Instant when) {
            lastSeen = when;
        }

        boolean offer(Delivery delivery, int limit) {
            lock.lock();
            try {
                if (queue.size() >= limit) {
                    return false;
                }
                queue.addLast(delivery);
                changed.signalAll();
                return true;
            } finally {
                lock.unlock();
            }
        }

        void putBack(Delivery delivery) {
            lock.lock();
            try {
                inFlight.remove(delivery.id());
                queue.addFirst(delivery);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The request is done with (answered, timed out, failed): it leaves the queue if still there. */
        void withdraw(Delivery delivery) {
            lock.lock();
            try {
                queue.remove(delivery);
                inFlight.remove(delivery.id());
            } finally {
                lock.unlock();
            }
        }

        Delivery take(Duration wait) throws InterruptedException {
            lock.lock();
            try {
                long generation = ++pollGeneration;
                changed.signalAll(); // an older poll of this node ends now
                activePolls++;
                try {
                    long left = wait.toNanos();
                    while (queue.isEmpty() && generation == pollGeneration && left > 0) {
                        left = changed.awaitNanos(left);
                    }
                    if (generation != pollGeneration) {
                        return null;
                    }
                    Delivery next = queue.pollFirst();
                    if (next != null) {
                        inFlight.add(next.id());
                    }
                    return next;
                } finally {
                    activePolls--;
                }
            } finally {
                lock.unlock();
            }
        }

        int activePolls() {
            lock.lock();
            try {
                return activePolls;
            } finally {
                lock.unlock();
            }
        }

        int queueDepth() {
            lock.lock();
            try {
                return queue.size();
            } finally {
                lock.unlock();
            }
        }
    }
}
