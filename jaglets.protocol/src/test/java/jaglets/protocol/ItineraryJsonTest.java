package jaglets.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.ErrorType;
import jaglets.api.ItineraryJaglet;
import jaglets.api.ItineraryPlan;
import jaglets.api.ItineraryTask;
import jaglets.api.JagletContext;
import jaglets.api.JagletException;
import jaglets.api.JagletProxy;
import jaglets.api.TaskItineraryPlan;
import jaglets.api.TransferTicket;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Itinerary plans live in agent state: they must come back from the state's JSON exactly as they were. */
class ItineraryJsonTest {

    record TourState(TaskItineraryPlan itinerary, String note) implements ItineraryJaglet.HasItinerary {
    }

    record RouteState(ItineraryPlan itinerary) implements ItineraryJaglet.HasItinerary {
    }

    static class Tour extends ItineraryJaglet<TourState> {
    }

    /** A host that accepts every move: enough to advance a plan through dispatchNext. */
    private static JagletContext acceptingHost() {
        JagletProxy moved = (JagletProxy) Proxy.newProxyInstance(ItineraryJsonTest.class.getClassLoader(),
                new Class<?>[] {JagletProxy.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        return (JagletContext) Proxy.newProxyInstance(ItineraryJsonTest.class.getClassLoader(),
                new Class<?>[] {JagletContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("dispatch") && args[0] instanceof TransferTicket) {
                        return moved;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static TaskItineraryPlan travelledTaskPlan() {
        TaskItineraryPlan plan = new TaskItineraryPlan(List.of("alpha", "beta", "http://gamma:8765"));
        plan.setCircular(true);
        plan.setExecuteDefaultOnDispatch(true);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("key", "os.name");
        args.put("limit", 3L);
        args.put("filter", null);
        plan.addTaskForDestination("alpha", new ItineraryTask("collect", ItineraryTask.Phase.ARRIVAL, args));
        plan.addTaskForDestination("beta", new ItineraryTask("leave", ItineraryTask.Phase.DISPATCH));
        plan.addDefaultTask(new ItineraryTask("log", ItineraryTask.Phase.DEFAULT));
        Tour agent = new Tour();
        agent.attach("tour-1", acceptingHost(), new TourState(plan, "hi"));
        for (int i = 0; i < 4; i++) {
            plan.dispatchNext(agent);
        }
        plan.setImmutable();
        return plan;
    }

    @Test
    void taskPlanComesBackFromTheStatesJsonWithItsPositionTasksAndSettings() throws Exception {
        TaskItineraryPlan plan = travelledTaskPlan();
        String json = Json.MAPPER.writeValueAsString(new TourState(plan, "hi"));

        TaskItineraryPlan back = Json.MAPPER.readValue(json, TourState.class).itinerary();

        assertEquals(plan.getDestinations(), back.getDestinations());
        assertEquals(1, back.getCurrentIndex());
        assertEquals("alpha", back.getCurrentLocation());
        assertEquals(List.of("alpha", "beta", "http://gamma:8765", "alpha"), back.getVisitedDestinations());
        assertTrue(back.isCircular());
        assertEquals(1, back.getLoopCount());
        assertFalse(back.isCompleted());
        assertFalse(back.isMutable());
        assertTrue(back.isExecuteDefaultOnArrival());
        assertTrue(back.isExecuteDefaultOnDispatch());
        assertFalse(back.isExecuteDefaultOnReverting());
        assertEquals(plan.getDestinationTasks(), back.getDestinationTasks());
        assertEquals(plan.getDefaultTasks(), back.getDefaultTasks());
        assertEquals(json, Json.MAPPER.writeValueAsString(new TourState(back, "hi")));
    }

    @Test
    void immutabilitySurvivesTheRoundTrip() throws Exception {
        String json = Json.MAPPER.writeValueAsString(new TourState(travelledTaskPlan(), null));
        TaskItineraryPlan back = Json.MAPPER.readValue(json, TourState.class).itinerary();
        JagletException error = assertThrows(JagletException.class, () -> back.addNextDestination("delta"));
        assertEquals(ErrorType.BAD_REQUEST, error.type());
    }

    @Test
    void onlyStoredPropertiesAreWritten() throws Exception {
        JsonNode plan = Json.MAPPER.valueToTree(new RouteState(new ItineraryPlan(List.of("alpha")))).get("itinerary");
        List<String> names = new java.util.ArrayList<>();
        plan.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("destinations", "currentIndex", "currentLocation", "visitedDestinations", "mutable",
                "circular", "loopCount", "completed"), names);
    }

    @Test
    void taskArgumentsComeBackAsJsonValues() throws Exception {
        String json = Json.MAPPER.writeValueAsString(new ItineraryTask("scan", ItineraryTask.Phase.DISPATCH,
                Map.of("limit", 3)));
        ItineraryTask back = Json.MAPPER.readValue(json, ItineraryTask.class);
        assertEquals(new ItineraryTask("scan", ItineraryTask.Phase.DISPATCH, Map.of("limit", 3L)), back);
    }

    @Test
    void missingOrNullPropertiesReadAsAFreshPlan() throws Exception {
        ItineraryPlan plan = Json.MAPPER.readValue(
                "{\"itinerary\":{\"destinations\":null,\"visitedDestinations\":null}}", RouteState.class).itinerary();
        assertTrue(plan.getDestinations().isEmpty());
        assertTrue(plan.isMutable());
        assertNull(plan.getCurrentLocation());
        plan.addNextDestination("alpha");
        assertEquals(List.of("alpha"), plan.getDestinations());

        TaskItineraryPlan tasks = Json.MAPPER.readValue("{\"itinerary\":{\"destinationTasks\":{\"a\":null}}}",
                TourState.class).itinerary();
        assertTrue(tasks.getDestinationTasks().isEmpty());
        assertTrue(tasks.isExecuteDefaultOnArrival());
        assertEquals(ItineraryTask.Phase.ARRIVAL,
                Json.MAPPER.readValue("{\"name\":\"t\"}", ItineraryTask.class).phase());
    }

    @Test
    void statesConvertedFromPlainMapsKeepTheirPlan() {
        TaskItineraryPlan plan = travelledTaskPlan();
        Object plain = Json.MAPPER.convertValue(new TourState(plan, "hi"), Map.class);
        TaskItineraryPlan back = Json.MAPPER.convertValue(plain, TourState.class).itinerary();
        assertEquals(plan.getVisitedDestinations(), back.getVisitedDestinations());
        assertEquals(plan.getDefaultTasks(), back.getDefaultTasks());
    }
}
