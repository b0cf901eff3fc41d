package jaglets.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Work an agent does along a {@link TaskItineraryPlan}: a name the agent's
 * {@link ItineraryJaglet#executeItineraryTask} understands, when to do it, and its arguments.
 *
 * @param name what to do; not blank
 * @param phase when to do it; {@link Phase#ARRIVAL} when {@code null}
 * @param args the task's arguments, JSON values (after a move or an activation integers come back
 *        as {@code Long}, as in message arguments); empty when {@code null}
 */
public record ItineraryTask(String name, Phase phase, Map<String, Object> args) {

    /** When a task runs. */
    public enum Phase {
        /** On arrival at its destination ({@link Jaglet#onArrival}). */
        ARRIVAL,
        /** When the agent leaves its destination ({@link Jaglet#onDispatching}). */
        DISPATCH,
        /** When the agent is retracted from its destination ({@link Jaglet#onReverting}). */
        REVERTING,
        /**
         * A default task: it runs at every destination, in each phase the plan's
         * {@code executeDefaultOn...} settings enable (by default on arrival only).
         */
        DEFAULT
    }

    public ItineraryTask {
        if (name == null || name.isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "an itinerary task needs a name");
        }
        phase = phase == null ? Phase.ARRIVAL : phase;
        // JSON arguments may be null, which Map.copyOf refuses.
        args = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** A task without arguments. */
    public ItineraryTask(String name, Phase phase) {
        this(name, phase, null);
    }
}
