package jaglets.api;

import static jaglets.api.ItineraryTask.Phase.ARRIVAL;
import static jaglets.api.ItineraryTask.Phase.DEFAULT;
import static jaglets.api.ItineraryTask.Phase.DISPATCH;
import static jaglets.api.ItineraryTask.Phase.REVERTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TaskItineraryPlanTest {

    private final ItineraryTask logEveryArrival = new ItineraryTask("log-every-arrival", DEFAULT);
    private final ItineraryTask collect = new ItineraryTask("collect-local-info", ARRIVAL, Map.of("key", "os.name"));
    private final ItineraryTask beforeLeaving = new ItineraryTask("before-leaving", DISPATCH);

    private static List<String> names(List<ItineraryTask> tasks) {
        return tasks.stream().map(ItineraryTask::name).toList();
    }

    private static void assertBadRequest(Executable call) {
        assertEquals(ErrorType.BAD_REQUEST, assertThrows(JagletException.class, call).type());
    }

    @Test
    void phaseListsDefaultTasksFirstThenTheDestinationsTasksOfThatPhase() {
        TaskItineraryPlan plan = new TaskItineraryPlan(List.of("alpha", "beta"));
        assertTrue(plan.addDefaultTask(logEveryArrival));
        assertTrue(plan.addTaskForDestination("alpha", collect));
        assertTrue(plan.addTaskForDestination("alpha", beforeLeaving));

        assertEquals(List.of("log-every-arrival", "collect-local-info"), names(plan.tasksForPhase("alpha", ARRIVAL)));
        assertEquals(List.of("before-leaving"), names(plan.tasksForPhase("alpha", DISPATCH)));
        assertEquals(List.of("log-every-arrival"), names(plan.tasksForPhase("beta", ARRIVAL)));
        assertEquals(List.of(), plan.tasksForPhase("alpha", REVERTING));
        assertEquals(List.of(), plan.tasksForPhase("alpha", DEFAULT));
    }

    @Test
    void beforeTheFirstDispatchOnlyDefaultTasksRun() {
        TaskItineraryPlan plan = new TaskItineraryPlan(List.of("alpha"));
        plan.addDefaultTask(logEveryArrival);
        plan.addTaskForDestination("alpha", collect);
        assertNull(plan.getCurrentLocation());
        assertEquals(List.of("log-every-arrival"), names(plan.tasksForPhase(ARRIVAL)));
    }

    @Test
    void defaultTasksRunOnArrivalOnlyUnlessTheSettingsSayOtherwise() {
        TaskItineraryPlan plan = new TaskItineraryPlan();
        plan.addDefaultTask(logEveryArrival);
        assertTrue(plan.isExecuteDefaultOnArrival());
        assertFalse(plan.isExecuteDefaultOnDispatch());
        assertFalse(plan.isExecuteDefaultOnReverting());
        assertEquals(List.of(), plan.tasksForPhase("alpha", DISPATCH));

        plan.setExecuteDefaultOnArrival(false);
        plan.setExecuteDefaultOnDispatch(true);
        plan.setExecuteDefaultOnReverting(true);

        assertEquals(List.of(), plan.tasksForPhase("alpha", ARRIVAL));
        assertEquals(List.of(logEveryArrival), plan.tasksForPhase("alpha", DISPATCH));
        assertEquals(List.of(logEveryArrival), plan.tasksForPhase("alpha", REVERTING));
    }

    @Test
    void defaultTaskMustHaveTheDefaultPhaseAndIsKeptOnce() {
        TaskItineraryPlan plan = new TaskItineraryPlan();
        JagletException error = assertThrows(JagletException.class, () -> plan.addDefaultTask(collect));
        assertEquals(ErrorType.BAD_REQUEST, error.type());
        assertTrue(error.getMessage().contains("collect-local-info"), error.getMessage());

        assertTrue(plan.addDefaultTask(logEveryArrival));
        assertFalse(plan.addDefaultTask(new ItineraryTask("log-every-arrival", DEFAULT)));
        assertEquals(List.of(logEveryArrival), plan.getDefaultTasks());
    }

    @Test
    void defaultPhaseTaskAddedForADestinationBecomesADefaultTask() {
        TaskItineraryPlan plan = new TaskItineraryPlan();
        assertTrue(plan.addTaskForDestination("alpha", logEveryArrival));
        assertEquals(List.of(logEveryArrival), plan.getDefaultTasks());
        assertEquals(List.of(), plan.tasksForDestination("alpha"));
        assertFalse(plan.addTaskForDestination("beta", logEveryArrival));
    }

    @Test
    void destinationWithTaskIsAddedToTheRouteAndGetsTheTask() {
        TaskItineraryPlan plan = new TaskItineraryPlan();
        plan.addNextDestinationWithTask("alpha", collect);
        assertEquals(List.of("alpha"), plan.getDestinations());
        assertEquals(List.of(collect), plan.tasksForDestination("alpha"));
        assertBadRequest(() -> plan.addNextDestinationWithTask("beta", null));
        assertEquals(List.of("alpha"), plan.getDestinations(), "a refused task must not leave its destination behind");
    }

    @Test
    void tasksAreRemovedOneAtATimeOrAllForADestination() {
        TaskItineraryPlan plan = new TaskItineraryPlan();
        plan.addTaskForDestination("alpha", collect);
        plan.addTaskForDestination("alpha", beforeLeaving);
        plan.addDefaultTask(logEveryArrival);

        assertTrue(plan.removeTaskForDestination("alpha", collect));
        assertFalse(plan.removeTaskForDestination("alpha", collect));
        assertEquals(List.of(beforeLeaving), plan.tasksForDestination("alpha"));

        assertTrue(plan.removeTaskForDestination("alpha", beforeLeaving));
        assertFalse(plan.getDestinationTasks().containsKey("alpha"), "a destination without tasks is dropped");

        plan.addTaskForDestination("beta", collect);
        assertTrue(plan.removeAllTasksForDestination("beta"));
        assertFalse(plan.removeAllTasksForDestination("beta"));

        assertTrue(plan.removeDefaultTask(logEveryArrival));
        assertFalse(plan.removeDefaultTask(logEveryArrival));
    }

    @Test
    void tasksCannotBeChangedThroughTheirCollections() {
        TaskItineraryPlan plan = new TaskItineraryPlan();
        plan.addTaskForDestination("alpha", collect);
        plan.addDefaultTask(logEveryArrival);
        assertThrows(UnsupportedOperationException.class, () -> plan.getDestinationTasks().get("alpha").clear());
        assertThrows(UnsupportedOperationException.class, () -> plan.getDestinationTasks().remove("alpha"));
        assertThrows(UnsupportedOperationException.class, () -> plan.getDefaultTasks().clear());
        assertThrows(UnsupportedOperationException.class, () -> plan.tasksForDestination("alpha").clear());
    }

    @Test
    void immutablePlanRefusesTaskChangesToo() {
        TaskItineraryPlan plan = new TaskItineraryPlan(List.of("alpha"));
        plan.addTaskForDestination("alpha", collect);
        plan.addDefaultTask(logEveryArrival);
        plan.setImmutable();

        List<Executable> changes = List.of(
                () -> plan.addDefaultTask(new ItineraryTask("other", DEFAULT)),
                () -> plan.addDefaultTask(logEveryArrival),
                () -> plan.addTaskForDestination("alpha", logEveryArrival),
                () -> plan.removeDefaultTask(logEveryArrival),
                () -> plan.addTaskForDestination("alpha", beforeLeaving),
                () -> plan.addNextDestinationWithTask("beta", beforeLeaving),
                () -> plan.removeTaskForDestination("alpha", collect),
                () -> plan.removeAllTasksForDestination("alpha"));
        changes.forEach(TaskItineraryPlanTest::assertBadRequest);

        assertEquals(List.of("alpha"), plan.getDestinations());
        assertEquals(List.of(collect), plan.tasksForDestination("alpha"));
        assertEquals(List.of(logEveryArrival), plan.getDefaultTasks());
    }

    @Test
    void taskForABlankDestinationIsRefused() {
        TaskItineraryPlan plan = new TaskItineraryPlan();
        assertBadRequest(() -> plan.addTaskForDestination(" ", collect));
        assertBadRequest(() -> plan.addTaskForDestination("alpha", null));
    }

    @Test
    void taskRunsOnArrivalWithoutArgumentsUnlessToldOtherwise() {
        ItineraryTask task = new ItineraryTask("t", null, null);
        assertEquals(ARRIVAL, task.phase());
        assertEquals(Map.of(), task.args());
        assertBadRequest(() -> new ItineraryTask(" ", ARRIVAL));
        assertBadRequest(() -> new ItineraryTask(null, ARRIVAL));
    }

    @Test
    void taskArgumentsMayHoldNullAndAreACopyThatCannotChange() {
        Map<String, Object> args = new HashMap<>();
        args.put("limit", 10L);
        args.put("filter", null);
        ItineraryTask task = new ItineraryTask("scan", ARRIVAL, args);
        args.put("limit", 20L);

        assertEquals(10L, task.args().get("limit"));
        assertTrue(task.args().containsKey("filter"));
        assertThrows(UnsupportedOperationException.class, () -> task.args().put("x", 1));
    }
}
