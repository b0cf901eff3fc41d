package jaglets.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ItineraryPlanTest {

    /** An agent whose state holds its plan, as itinerary agents do. */
    static class Walker extends Jaglet<Walker.State> {
        record State(ItineraryPlan itinerary) {
        }
    }

    /** The plan's position as the moved copy would carry it. */
    record Position(int currentIndex, String currentLocation, List<String> visited, int loopCount, boolean completed) {
        static Position of(ItineraryPlan plan) {
            return new Position(plan.getCurrentIndex(), plan.getCurrentLocation(),
                    List.copyOf(plan.getVisitedDestinations()), plan.getLoopCount(), plan.isCompleted());
        }
    }

    private static ItineraryPlan plan(String... destinations) {
        return new ItineraryPlan(List.of(destinations));
    }

    private static FakeMovementContext walkerAt(String host, ItineraryPlan plan) {
        return FakeMovementContext.attach(new Walker(), host, new Walker.State(plan));
    }

    private static void assertBadRequest(Executable call) {
        assertEquals(ErrorType.BAD_REQUEST, assertThrows(JagletException.class, call).type());
    }

    private static List<String> destinationsOf(List<TransferTicket> tickets) {
        return tickets.stream().map(TransferTicket::destination).toList();
    }

    // ---- building the route ----------------------------------------------------------------

    @Test
    void newPlanIsMutableLinearAndNotStarted() {
        ItineraryPlan plan = new ItineraryPlan();
        assertTrue(plan.isMutable());
        assertFalse(plan.isCircular());
        assertFalse(plan.isCompleted());
        assertEquals(0, plan.getCurrentIndex());
        assertEquals(0, plan.getLoopCount());
        assertNull(plan.getCurrentLocation());
        assertTrue(plan.getVisitedDestinations().isEmpty());
        assertEquals(Optional.empty(), plan.nextDestination());
    }

    @Test
    void destinationsAreVisitedInTheOrderTheyWereAdded() {
        ItineraryPlan plan = plan("alpha");
        plan.addNextDestination("http://beta:8765");
        assertEquals(List.of("alpha", "http://beta:8765"), plan.getDestinations());
        assertEquals(Optional.of("alpha"), plan.nextDestination());
        assertEquals(2, plan.remainingDestinationCount());
    }

    @Test
    void destinationsCannotBeChangedThroughTheirList() {
        ItineraryPlan plan = plan("alpha");
        assertThrows(UnsupportedOperationException.class, () -> plan.getDestinations().add("beta"));
        assertThrows(UnsupportedOperationException.class, () -> plan.getVisitedDestinations().add("beta"));
    }

    @Test
    void blankOrMissingDestinationIsRefused() {
        ItineraryPlan plan = new ItineraryPlan();
        assertBadRequest(() -> plan.addNextDestination(" "));
        assertBadRequest(() -> plan.addNextDestination(null));
        assertBadRequest(() -> new ItineraryPlan(List.of("alpha", "")));
        assertTrue(plan.getDestinations().isEmpty());
    }

    @Test
    void destinationInsertedAtTheCurrentIndexIsVisitedNext() {
        ItineraryPlan plan = plan("alpha", "beta", "gamma");
        plan.skipNext();
        plan.addNextDestination("delta", plan.getCurrentIndex());
        assertEquals(List.of("alpha", "delta", "beta", "gamma"), plan.getDestinations());
        assertEquals(Optional.of("delta"), plan.nextDestination());
    }

    @Test
    void destinationInsertedBehindTheAgentDoesNotChangeTheNextOne() {
        ItineraryPlan plan = plan("alpha", "beta", "gamma");
        plan.skipNext();
        plan.skipNext();
        plan.addNextDestination("delta", 0);
        assertEquals(List.of("delta", "alpha", "beta", "gamma"), plan.getDestinations());
        assertEquals(Optional.of("gamma"), plan.nextDestination());
        assertEquals(1, plan.remainingDestinationCount());
    }

    @Test
    void insertPositionOutsideTheRouteIsRefusedNamingTheRange() {
        ItineraryPlan plan = plan("alpha");
        plan.addNextDestination("end", 1);
        JagletException error = assertThrows(JagletException.class, () -> plan.addNextDestination("x", 3));
        assertEquals(ErrorType.BAD_REQUEST, error.type());
        assertTrue(error.getMessage().contains("positions 0 to 2"), error.getMessage());
        assertBadRequest(() -> plan.addNextDestination("x", -1));
        assertEquals(List.of("alpha", "end"), plan.getDestinations());
    }

    @Test
    void destinationAddedAfterAnotherFollowsItsFirstOccurrence() {
        ItineraryPlan plan = plan("alpha", "beta", "alpha");
        plan.addNextDestinationAfter("gamma", "alpha");
        assertEquals(List.of("alpha", "gamma", "beta", "alpha"), plan.getDestinations());
    }

    @Test
    void addingAfterADestinationThatIsNotOnTheRouteIsRefusedAndChangesNothing() {
        ItineraryPlan plan = plan("alpha");
        JagletException error = assertThrows(JagletException.class,
                () -> plan.addNextDestinationAfter("gamma", "beta"));
        assertEquals(ErrorType.BAD_REQUEST, error.type());
        assertTrue(error.getMessage().contains("'beta'"), error.getMessage());
        assertEquals(List.of("alpha"), plan.getDestinations());
    }

    @Test
    void duplicatesAreAllowedUnlessAskedOtherwise() {
        ItineraryPlan plan = plan("alpha");
        plan.addNextDestination("alpha");
        assertEquals(List.of("alpha", "alpha"), plan.getDestinations());

        assertFalse(plan.addNextDestinationIfNotDuplicated("alpha"));
        assertTrue(plan.addNextDestinationIfNotDuplicated("beta"));
        assertEquals(List.of("alpha", "alpha", "beta"), plan.getDestinations());
    }

    @Test
    void removeDestinationTakesItsFirstOccurrenceAndSaysWhetherItWasThere() {
        ItineraryPlan plan = plan("alpha", "beta", "alpha");
        assertTrue(plan.removeDestination("alpha"));
        assertEquals(List.of("beta", "alpha"), plan.getDestinations());
        assertFalse(plan.removeDestination("gamma"));
    }

    @Test
    void removingADestinationBehindTheAgentKeepsTheNextOne() {
        ItineraryPlan plan = plan("alpha", "beta", "gamma");
        plan.skipNext();
        plan.skipNext();
        assertTrue(plan.removeDestination("alpha"));
        assertEquals(Optional.of("gamma"), plan.nextDestination());
        assertEquals(1, plan.getCurrentIndex());
    }

    @Test
    void removingTheNextDestinationMakesTheOneAfterItNext() {
        ItineraryPlan plan = plan("alpha", "beta", "gamma");
        plan.skipNext();
        assertEquals("beta", plan.removeDestinationAt(1));
        assertEquals(Optional.of("gamma"), plan.nextDestination());
    }

    @Test
    void removePositionOutsideTheRouteIsRefused() {
        ItineraryPlan plan = plan("alpha");
        assertBadRequest(() -> plan.removeDestinationAt(1));
        assertBadRequest(() -> plan.removeDestinationAt(-1));
        assertEquals(List.of("alpha"), plan.getDestinations());
    }

    @Test
    void immutablePlanRefusesEveryChangeToItsRouteButStillMovesAlong() {
        ItineraryPlan plan = plan("alpha", "beta", "gamma");
        plan.setImmutable();
        assertFalse(plan.isMutable());

        List<Executable> changes = List.of(
                () -> plan.addNextDestination("delta"),
                () -> plan.addNextDestination("delta", 0),
                () -> plan.addNextDestinationAfter("delta", "alpha"),
                () -> plan.addNextDestinationIfNotDuplicated("delta"),
                () -> plan.addNextDestinationIfNotDuplicated("alpha"),
                () -> plan.addNextDestinationAfter("delta", "not-there"),
                () -> plan.addNextDestination("delta", 99),
                () -> plan.removeDestination("alpha"),
                () -> plan.removeDestination("not-there"),
                () -> plan.removeDestinationAt(0));
        for (Executable change : changes) {
            JagletException error = assertThrows(JagletException.class, change);
            assertEquals(ErrorType.BAD_REQUEST, error.type());
            assertTrue(error.getMessage().contains("immutable"), error.getMessage());
        }
        assertEquals(List.of("alpha", "beta", "gamma"), plan.getDestinations());

        assertEquals(Optional.of("alpha"), plan.skipNext());
        FakeMovementContext host = walkerAt("home", plan);
        assertTrue(plan.dispatchNext(host.agent()).isPresent());
        assertEquals("beta", plan.getCurrentLocation());
    }

    // ---- moving along ------------------------------------------------------------------------

    @Test
    void skipNextPassesADestinationWithoutVisitingIt() {
        ItineraryPlan plan = plan("alpha", "beta");
        assertEquals(Optional.of("alpha"), plan.skipNext());
        assertEquals(Optional.of("beta"), plan.nextDestination());
        assertTrue(plan.getVisitedDestinations().isEmpty());
        assertNull(plan.getCurrentLocation());

        assertEquals(Optional.of("beta"), plan.skipNext());
        assertEquals(Optional.empty(), plan.skipNext());
        assertEquals(2, plan.getCurrentIndex());
        assertFalse(plan.isCompleted(), "only dispatchNext completes a plan");
    }

    @Test
    void skipNextAtTheEndOfACircularPassSkipsTheFirstDestination() {
        ItineraryPlan plan = plan("alpha", "beta");
        plan.setCircular(true);
        plan.skipNext();
        plan.skipNext();
        assertEquals(Optional.of("alpha"), plan.skipNext());
        assertEquals(Optional.of("beta"), plan.nextDestination());
        assertEquals(1, plan.getLoopCount());
    }

    @Test
    void dispatchNextGoesToEachDestinationInTurnWithTheTemplatesSettings() {
        ItineraryPlan plan = plan("beta", "http://gamma:8765");
        FakeMovementContext host = walkerAt("alpha", plan);
        Jaglet<?> agent = host.agent();
        TransferTicket template = TransferTicket.to(null).withTimeout(Duration.ofSeconds(3))
                .withArrivalMode(ArrivalMode.INACTIVE);

        JagletProxy first = plan.dispatchNext(agent, template).orElseThrow();
        plan.dispatchNext(agent, template);

        assertEquals("http://beta", first.hostAddress());
        assertEquals(List.of("beta", "http://gamma:8765"), destinationsOf(host.dispatched()));
        for (TransferTicket ticket : host.dispatched()) {
            assertEquals(Duration.ofSeconds(3), ticket.timeout());
            assertEquals(ArrivalMode.INACTIVE, ticket.arrivalMode());
        }
    }

    @Test
    void theMovedCopySeesThePositionAfterTheMove() {
        ItineraryPlan plan = plan("beta", "gamma");
        FakeMovementContext host = walkerAt("alpha", plan);
        List<Position> written = new ArrayList<>();
        host.handOver(ticket -> written.add(Position.of(plan)));

        plan.dispatchNext(host.agent());
        plan.dispatchNext(host.agent());

        assertEquals(List.of(
                new Position(1, "beta", List.of("beta"), 0, false),
                new Position(2, "gamma", List.of("beta", "gamma"), 0, false)), written);
    }

    @Test
    void planWithNothingLeftCompletesWithoutDispatching() {
        ItineraryPlan plan = plan("beta");
        FakeMovementContext host = walkerAt("alpha", plan);
        Jaglet<?> agent = host.agent();
        plan.dispatchNext(agent);

        assertEquals(Optional.empty(), plan.dispatchNext(agent));
        assertTrue(plan.isCompleted());
        assertEquals(1, host.dispatched().size());
        assertEquals(new Position(1, "beta", List.of("beta"), 0, true), Position.of(plan));
    }

    @Test
    void emptyPlanCompletesAtOnceEvenWhenCircular() {
        ItineraryPlan plan = new ItineraryPlan();
        plan.setCircular(true);
        FakeMovementContext host = walkerAt("alpha", plan);
        assertEquals(Optional.empty(), plan.dispatchNext(host.agent()));
        assertTrue(plan.isCompleted());
        assertTrue(host.dispatched().isEmpty());
    }

    @Test
    void completedPlanGoesOnWhenADestinationIsAdded() {
        ItineraryPlan plan = plan("beta");
        FakeMovementContext host = walkerAt("alpha", plan);
        Jaglet<?> agent = host.agent();
        plan.dispatchNext(agent);
        plan.dispatchNext(agent);

        plan.addNextDestination("gamma");
        assertTrue(plan.dispatchNext(agent).isPresent());
        assertFalse(plan.isCompleted());
        assertEquals(List.of("beta", "gamma"), destinationsOf(host.dispatched()));
    }

    @Test
    void circularPlanWrapsToItsFirstDestinationAndCountsLoops() {
        ItineraryPlan plan = plan("beta", "gamma");
        plan.setCircular(true);
        FakeMovementContext host = walkerAt("alpha", plan);
        Jaglet<?> agent = host.agent();
        List<Integer> loopsWhenWritten = new ArrayList<>();
        host.handOver(ticket -> loopsWhenWritten.add(plan.getLoopCount()));

        for (int i = 0; i < 5; i++) {
            plan.dispatchNext(agent);
        }

        assertEquals(List.of("beta", "gamma", "beta", "gamma", "beta"), destinationsOf(host.dispatched()));
        assertEquals(List.of(0, 0, 1, 1, 2), loopsWhenWritten);
        assertEquals(1, plan.getCurrentIndex());
        assertFalse(plan.isCompleted());
        assertEquals(5, plan.getVisitedDestinations().size());
    }

    // ---- failed moves ----------------------------------------------------------------------------

    @Test
    void failedDispatchPutsThePlanBackSoARetryGoesToTheSameDestination() {
        ItineraryPlan plan = plan("beta", "gamma");
        FakeMovementContext host = walkerAt("alpha", plan);
        Jaglet<?> agent = host.agent();
        plan.dispatchNext(agent);
        Position before = Position.of(plan);
        host.handOver(FakeMovementContext.failing(1));

        JagletException error = assertThrows(JagletException.class, () -> plan.dispatchNext(agent));

        assertEquals(ErrorType.TRANSFER, error.type());
        assertEquals(before, Position.of(plan));
        assertEquals(Optional.of("gamma"), plan.nextDestination());
        assertTrue(plan.dispatchNext(agent).isPresent());
        assertEquals(List.of("beta", "gamma"), destinationsOf(host.dispatched()));
        assertEquals(new Position(2, "gamma", List.of("beta", "gamma"), 0, false), Position.of(plan));
    }

    @Test
    void failedDispatchThatWrappedACircularPlanUndoesTheLoopToo() {
        ItineraryPlan plan = plan("beta");
        plan.setCircular(true);
        FakeMovementContext host = walkerAt("alpha", plan);
        Jaglet<?> agent = host.agent();
        plan.dispatchNext(agent);
        Position before = Position.of(plan);
        host.handOver(FakeMovementContext.failing(1));

        assertThrows(JagletException.class, () -> plan.dispatchNext(agent));

        assertEquals(before, Position.of(plan));
        assertEquals(0, plan.getLoopCount());
        plan.dispatchNext(agent);
        assertEquals(1, plan.getLoopCount());
    }

    @Test
    void failedLastDispatchLeavesThePlanNotCompleted() {
        ItineraryPlan plan = plan("beta");
        FakeMovementContext host = walkerAt("alpha", plan);
        host.handOver(FakeMovementContext.failing(1));
        assertThrows(JagletException.class, () -> plan.dispatchNext(host.agent()));
        assertFalse(plan.isCompleted());
        assertEquals(Position.of(plan("beta")), Position.of(plan));
    }

    @Test
    void dispatchNextOfAnAgentWithoutAHostFailsAndLeavesThePlanAsItWas() {
        ItineraryPlan plan = plan("beta");
        Walker detached = new Walker();
        JagletException error = assertThrows(JagletException.class, () -> plan.dispatchNext(detached));
        assertEquals(ErrorType.LIFECYCLE, error.type());
        assertEquals(Position.of(plan("beta")), Position.of(plan));
    }

    @Test
    void dispatchNextWithoutATicketTemplateIsRefused() {
        ItineraryPlan plan = plan("beta");
        FakeMovementContext host = walkerAt("alpha", plan);
        assertBadRequest(() -> plan.dispatchNext(host.agent(), null));
        assertEquals(Optional.of("beta"), plan.nextDestination());
    }
}
