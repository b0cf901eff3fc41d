package jaglets.examples;

import jaglets.api.CreationEvent;
import jaglets.api.Jaglet;
import jaglets.api.JagletProxy;
import jaglets.api.MobilityEvent;
import jaglets.api.OnMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An agent that travels a list of hosts by itself: {@code start} sends it to the first one, and
 * its {@code run()} on each host sends it on to the next. It records where it went.
 */
public class ChainJaglet extends Jaglet<ChainJaglet.State> {

    /** The hosts still to visit, the visits so far, and whether the journey is under way. */
    public record State(List<String> itinerary, List<String> visits, boolean running) {
        public State {
            itinerary = itinerary == null ? List.of() : List.copyOf(itinerary);
            visits = visits == null ? List.of() : List.copyOf(visits);
        }

        State visit(String visit) {
            List<String> more = new ArrayList<>(visits);
            more.add(visit);
            return new State(itinerary, more, running);
        }
    }

    @Override
    public void onCreation(CreationEvent event) {
        updateState(s -> s.visit("created@" + event.hostName()));
    }

    @Override
    public void onDispatching(MobilityEvent event) {
        updateState(s -> s.visit("leaving:" + event.sourceHostName() + "->" + event.targetHostName()));
    }

    @Override
    public void onArrival(MobilityEvent event) {
        updateState(s -> s.visit("arrived@" + event.hostName() + ":from:" + event.sourceHostName()));
    }

    @Override
    public void run() {
        if (state().running()) {
            next();
        }
    }

    @OnMessage("start")
    Object start() {
        updateState(s -> new State(s.itinerary(), s.visits(), true));
        JagletProxy moved = next();
        return moved == null ? Map.of("done", true) : Map.of("host_url", moved.hostAddress(), "agent_id", moved.agentId());
    }

    @OnMessage("visits")
    List<String> visits() {
        return state().visits();
    }

    /** Goes to the next host, or ends the journey here; returns where the agent ended up. */
    private JagletProxy next() {
        State s = state();
        if (s.itinerary().isEmpty()) {
            updateState(done -> new State(done.itinerary(), done.visits(), false).visit("done@" + context().hostName()));
            return null;
        }
        String destination = s.itinerary().get(0);
        updateState(left -> new State(left.itinerary().subList(1, left.itinerary().size()), left.visits(), true));
        return dispatch(destination);
    }
}
