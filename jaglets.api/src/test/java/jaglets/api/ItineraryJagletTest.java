package jaglets.api;

import static jaglets.api.ItineraryTask.Phase.ARRIVAL;
import static jaglets.api.ItineraryTask.Phase.DEFAULT;
import static jaglets.api.ItineraryTask.Phase.DISPATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItineraryJagletTest {

    /** An itinerary agent that leaves its tasks unhandled. */
    static class Plain extends ItineraryJaglet<Plain.State> {
        record State(ItineraryPlan itinerary) implements HasItinerary {
        }
    }

    /** The example agent's journey as hosts would run it: dispatch, then at the target onArrival and run(). */
    private static final class Journey {
        TourJaglet agent = new TourJaglet();
        FakeMovementContext host;
        final List<String> hops = new ArrayList<>();

        Journey(String startHost, TaskItineraryPlan plan) {
            host = FakeMovementContext.attach(agent, startHost, new TourJaglet.State(plan, false, null));
        }

        /** Delivers {@code start}, then follows the agent from host to host until it stays. */
        Object start() {
            Object reply = agent.deliver(Message.of("start"));
            while (!host.dispatched().isEmpty()) {
                assertTrue(hops.size() < 10, "the agent never stopped: " + hops);
                String from = host.hostName();
                String to = host.dispatched().get(0).destination();
                hops.add(to);
                TourJaglet.State carried = agent.state();
                agent = new TourJaglet();
                host = FakeMovementContext.attach(agent, to, carried);
                agent.onArrival(FakeMovementContext.event(to, from, to));
                agent.run();
            }
            return reply;
        }
    }

    private static TaskItineraryPlan tourPlan(String... destinations) {
        TaskItineraryPlan plan = new TaskItineraryPlan(List.of(destinations));
        plan.addDefaultTask(new ItineraryTask("note", DEFAULT, Map.of("text", "arrived")));
        plan.addTaskForDestination("alpha", new ItineraryTask("note", DISPATCH, Map.of("text", "leaving")));
        return plan;
    }

    @Test
    void agentTravelsItsRouteAcrossHostsAndRunsEachTaskWhereItBelongs() {
        Journey journey = new Journey("alpha", tourPlan("beta", "alpha", "beta"));

        assertEquals("http://beta", journey.start());

        assertEquals(List.of("beta", "alpha", "beta"), journey.hops);
        TourJaglet.State last = journey.agent.state();
        assertEquals(List.of(
                "ARRIVAL beta: arrived",
                "ARRIVAL alpha: arrived",
                "DISPATCH alpha: leaving",
                "ARRIVAL beta: arrived",
                "done at beta"), last.notes());
        assertFalse(last.travelling());
        assertTrue(last.itinerary().isCompleted());
        assertEquals(3, last.itinerary().getCurrentIndex());
        assertEquals(List.of("beta", "alpha", "beta"), last.itinerary().getVisitedDestinations());
    }

    @Test
    void agentWithNothingToVisitStaysAndSaysSo() {
        Journey journey = new Journey("alpha", new TaskItineraryPlan());
        assertEquals("done", journey.start());
        assertTrue(journey.hops.isEmpty());
        assertEquals(List.of("done at alpha"), journey.agent.state().notes());
    }

    @Test
    void tasksRunInOrderAndTheirResultsComeBack() {
        TaskItineraryPlan plan = tourPlan("alpha");
        plan.addTaskForDestination("alpha", new ItineraryTask("note", ARRIVAL, Map.of("text", "second")));
        TourJaglet agent = new TourJaglet();
        FakeMovementContext.attach(agent, "alpha", new TourJaglet.State(plan, false, null));
        plan.dispatchNext(agent);

        List<Object> results = agent.executeItineraryTasks(ARRIVAL, null);

        assertEquals(List.of("ARRIVAL alpha: arrived", "ARRIVAL alpha: second"), results);
        assertEquals(results, agent.state().notes());
    }

    @Test
    void plainItineraryHasNoTasksToRun() {
        Plain agent = new Plain();
        FakeMovementContext.attach(agent, "alpha", new Plain.State(new ItineraryPlan(List.of("beta"))));
        assertEquals(List.of(), agent.executeItineraryTasks(ARRIVAL, null));
    }

    @Test
    void taskOfAnAgentThatDoesNotHandleTasksFailsAsACodeErrorNamingIt() {
        TaskItineraryPlan plan = new TaskItineraryPlan();
        plan.addDefaultTask(new ItineraryTask("collect", DEFAULT));
        Plain agent = new Plain();
        FakeMovementContext.attach(agent, "alpha", new Plain.State(plan));

        JagletException error = assertThrows(JagletException.class, () -> agent.executeItineraryTasks(ARRIVAL, null));
        assertEquals(ErrorType.CODE, error.type());
        assertTrue(error.getMessage().contains("'collect'"), error.getMessage());
    }

    @Test
    void goToNextDestinationUsesTheTicketTemplateAndMovesThePlanInTheState() {
        Plain agent = new Plain();
        ItineraryPlan plan = new ItineraryPlan(List.of("beta"));
        FakeMovementContext host = FakeMovementContext.attach(agent, "alpha", new Plain.State(plan));

        agent.goToNextDestination(TransferTicket.to(null).withRetries(2, Duration.ofMillis(10))).orElseThrow();

        TransferTicket ticket = host.dispatched().get(0);
        assertEquals("beta", ticket.destination());
        assertEquals(2, ticket.retries());
        assertSame(plan, agent.itinerary());
        assertEquals("beta", agent.state().itinerary().getCurrentLocation());
    }

    @Test
    void stateWithoutAnItineraryIsRefusedNamingTheAgent() {
        Plain agent = new Plain();
        FakeMovementContext.attach(agent, "alpha", new Plain.State(null));
        JagletException error = assertThrows(JagletException.class, agent::goToNextDestination);
        assertEquals(ErrorType.BAD_REQUEST, error.type());
        assertTrue(error.getMessage().contains("agent-1"), error.getMessage());
    }

    @Test
    void stateClassIsFoundThroughTheItineraryBase() {
        assertEquals(TourJaglet.State.class, Jaglet.stateClassOf(TourJaglet.class));
    }
}
