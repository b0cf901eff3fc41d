package jaglets.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An agent that travels along an {@link ItineraryPlan} kept in its state. Its state class
 * implements {@link HasItinerary}; a record with a component {@code itinerary} does so by itself:
 *
 * <pre>{@code
 * record State(TaskItineraryPlan itinerary) implements ItineraryJaglet.HasItinerary {}
 * }</pre>
 *
 * Declare the component with the plan class you use: Jackson restores the declared class, so a
 * {@link TaskItineraryPlan} held in an {@code ItineraryPlan} component would lose its tasks.
 *
 * <p>Nothing runs by itself: call {@link #goToNextDestination()} where the agent should move on
 * (a handler, {@link #run()} after an arrival), and {@link #executeItineraryTasks} from the
 * hooks whose phase you use.
 */
public abstract class ItineraryJaglet<S extends ItineraryJaglet.HasItinerary> extends Jaglet<S> {

    /**
     * A state that carries the agent's itinerary. A plain state class implements
     * {@code itinerary()} beside the getter and setter Jackson uses for the field.
     */
    public interface HasItinerary {
        ItineraryPlan itinerary();
    }

    /** The plan held by the current state. */
    protected final ItineraryPlan itinerary() {
        S current = state();
        ItineraryPlan plan = current == null ? null : current.itinerary();
        if (plan == null) {
            throw new JagletException(ErrorType.BAD_REQUEST, "agent " + agentId() + " (" + getClass().getName()
                    + ") has no itinerary in its state; create it with a state that holds a plan");
        }
        return plan;
    }

    /**
     * Moves to the next destination of the itinerary with a default ticket; see
     * {@link ItineraryPlan#dispatchNext(Jaglet, TransferTicket)}. On success this instance is
     * finished: return from the handler or {@code run()}.
     *
     * @return the agent at its new host, or empty when the itinerary is completed
     */
    protected final Optional<JagletProxy> goToNextDestination() {
        return itinerary().dispatchNext(this);
    }

    /** {@link #goToNextDestination()} with the settings of {@code template} (its destination is ignored). */
    protected final Optional<JagletProxy> goToNextDestination(TransferTicket template) {
        return itinerary().dispatchNext(this, template);
    }

    /**
     * Runs, in order, the tasks of a {@link TaskItineraryPlan} for {@code phase} where the agent
     * is (see {@link TaskItineraryPlan#tasksForPhase(ItineraryTask.Phase)}) through
     * {@link #executeItineraryTask}, and returns their results. A plain {@link ItineraryPlan} has
     * no tasks. A task that throws stops the run; the tasks after it do not run.
     *
     * @param event the event of the hook this is called from, handed to each task; may be {@code null}
     */
    protected final List<Object> executeItineraryTasks(ItineraryTask.Phase phase, MobilityEvent event) {
        if (!(itinerary() instanceof TaskItineraryPlan plan)) {
            return List.of();
        }
        List<Object> results = new ArrayList<>();
        for (ItineraryTask task : plan.tasksForPhase(phase)) {
            results.add(executeItineraryTask(task, phase, event));
        }
        return results;
    }

    /**
     * Does one task. Override it when the itinerary has tasks; the default fails with
     * {@link ErrorType#CODE}, naming the task.
     *
     * @param phase the phase being run (a default task's own phase is {@code DEFAULT})
     */
    protected Object executeItineraryTask(ItineraryTask task, ItineraryTask.Phase phase, MobilityEvent event) {
        throw new JagletException(ErrorType.CODE, getClass().getName() + " must override executeItineraryTask "
                + "to run itinerary task '" + task.name() + "'");
    }
}
