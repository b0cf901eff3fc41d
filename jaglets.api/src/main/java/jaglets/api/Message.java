package jaglets.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A message to an agent: a {@code kind}, named {@code args}, one optional {@code arg}, the
 * sender's address and a priority. Values must be JSON-compatible (strings, numbers, booleans,
 * null, lists, maps, {@code byte[]}) or Jackson-serializable objects.
 *
 * <p>Priority runs from {@link #MIN_PRIORITY} to {@link #MAX_PRIORITY}; higher is handled
 * first, equal priorities in arrival order. {@link #UNQUEUED_PRIORITY} skips the host's queue:
 * it can overtake queued messages but never preempts a running handler.
 */
public record Message(String kind, Map<String, Object> args, Object arg, String sender, int priority,
                      long timestamp, String messageId) {

    public static final int UNQUEUED_PRIORITY = 0;
    public static final int MIN_PRIORITY = 1;
    public static final int NORMAL_PRIORITY = 5;
    public static final int MAX_PRIORITY = 10;
    /** Reserved kind: the host deactivates the target instead of delivering the message. */
    public static final String DEACTIVATE_KIND = "_deactivate";

    public Message {
        if (kind == null || kind.isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a message needs a non-empty kind");
        }
        if (priority < UNQUEUED_PRIORITY || priority > MAX_PRIORITY) {
            throw new JagletException(ErrorType.BAD_REQUEST,
                    "message priority " + priority + " is outside 0..10 (0 = unqueued, 1..10 queued)");
        }
        args = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
        messageId = messageId == null || messageId.isBlank() ? newId() : messageId;
        timestamp = timestamp == 0 ? System.currentTimeMillis() : timestamp;
    }

    /** A message of this kind with no arguments and normal priority. */
    public static Message of(String kind) {
        return new Message(kind, Map.of(), null, null, NORMAL_PRIORITY, 0, null);
    }

    /** A message of this kind carrying one {@code arg}. */
    public static Message of(String kind, Object arg) {
        return new Message(kind, Map.of(), arg, null, NORMAL_PRIORITY, 0, null);
    }

    public Message withArg(Object newArg) {
        return new Message(kind, args, newArg, sender, priority, timestamp, messageId);
    }

    /** A copy with one named argument added or replaced. */
    public Message withArg(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(args);
        copy.put(name, value);
        return new Message(kind, copy, arg, sender, priority, timestamp, messageId);
    }

    public Message withArgs(Map<String, Object> newArgs) {
        return new Message(kind, newArgs, arg, sender, priority, timestamp, messageId);
    }

    public Message withPriority(int newPriority) {
        return new Message(kind, args, arg, sender, newPriority, timestamp, messageId);
    }

    public Message withSender(String newSender) {
        return new Message(kind, args, arg, newSender, priority, timestamp, messageId);
    }

    /** A named argument, or {@code null}. */
    public Object arg(String name) {
        return args.get(name);
    }

    /** {@code arg} when {@code name} is null, else the named argument (paglets' {@code get_arg}). */
    public Object getArg(String name) {
        return name == null ? arg : args.get(name);
    }

    public boolean sameKind(String other) {
        return Objects.equals(kind, other);
    }

    public boolean isUnqueued() {
        return priority == UNQUEUED_PRIORITY;
    }

    public Message increasePriority() {
        return priority >= MAX_PRIORITY || priority == UNQUEUED_PRIORITY ? this : withPriority(priority + 1);
    }

    public Message decreasePriority() {
        return priority <= MIN_PRIORITY ? this : withPriority(priority - 1);
    }

    /** 128 random bits as 32 hex digits; ids need to be unique, not unguessable, so no SecureRandom. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        char[] hex = new char[32];
        for (int i = 0; i < 16; i++) {
            hex[15 - i] = Character.forDigit((int) (high >>> (4 * i)) & 0xf, 16);
            hex[31 - i] = Character.forDigit((int) (low >>> (4 * i)) & 0xf, 16);
        }
        return new String(hex);
    }
}
