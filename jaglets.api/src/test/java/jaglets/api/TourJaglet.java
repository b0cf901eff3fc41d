package jaglets.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The itinerary example of {@code docs/writing-an-agent.md}: it travels a task itinerary, keeps
 * notes of what its tasks did, and stops where the route ends. {@link ItineraryJagletTest} runs it.
 */
public class TourJaglet extends ItineraryJaglet<TourJaglet.State> {

    public record State(TaskItineraryPlan itinerary, boolean travelling, List<String> notes)
            implements HasItinerary {
        public State {
            notes = notes == null ? List.of() : List.copyOf(notes);
        }

        State travelling(boolean now) {
            return new State(itinerary, now, notes);
        }

        State noted(String note) {
            List<String> more = new ArrayList<>(notes);
            more.add(note);
            return new State(itinerary, travelling, more);
        }
    }

    @OnMessage("start")
    Object start() {
        updateState(s -> s.travelling(true));
        return moveOn();
    }

    /** Runs after every arrival (and activation): a travelling agent moves on. */
    @Override
    public void run() {
        if (state().travelling()) {
            moveOn();
        }
    }

    private Object moveOn() {
        Optional<JagletProxy> next = goToNextDestination();
        if (next.isPresent()) {
            return next.get().hostAddress();
        }
        updateState(s -> s.travelling(false).noted("done at " + context().hostName()));
        return "done";
    }

    @Override
    public void onArrival(MobilityEvent event) {
        executeItineraryTasks(ItineraryTask.Phase.ARRIVAL, event);
    }

    @Override
    public void onDispatching(MobilityEvent event) {
        executeItineraryTasks(ItineraryTask.Phase.DISPATCH, event);
    }

    @Override
    protected Object executeItineraryTask(ItineraryTask task, ItineraryTask.Phase phase, MobilityEvent event) {
        if (!task.name().equals("note")) {
            throw new JagletException(ErrorType.BAD_REQUEST, "unknown itinerary task '" + task.name() + "'");
        }
        String note = phase + " " + context().hostName() + ": " + task.args().get("text");
        updateState(s -> s.noted(note));
        return note;
    }
}
