package jaglets.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A route for a mobile agent: the destinations (mesh host names or host URLs) it visits in order,
 * and how far along it is. Keep the plan in the agent's state, for example as a record component
 * {@code itinerary}: it travels and persists with the state, and {@link #dispatchNext} moves the
 * agent to the next destination.
 *
 * <p>The plan is a mutable object inside the state. {@link #dispatchNext} advances it in place,
 * under the agent's state lock, <em>before</em> it dispatches, so the state that moves already
 * holds the new position; the plan must therefore be the very object held by the state of the
 * agent it is given. {@link ItineraryJaglet} takes care of that.
 *
 * <p>{@link #setImmutable()} freezes the destinations (and, in a {@link TaskItineraryPlan}, the
 * tasks): from then on every call that would change them fails with a {@link JagletException} of
 * type {@link ErrorType#BAD_REQUEST}. Progress along the route ({@link #dispatchNext},
 * {@link #skipNext}) and the {@link #setCircular circular} setting stay possible.
 *
 * <p>Jackson writes the plan through its getters and restores it through its private setters (its
 * default visibility finds setters of any access), so it needs no annotations and agents cannot
 * undo {@link #setImmutable()} or move the position by hand.
 */
public class ItineraryPlan {

    private List<String> destinations = new ArrayList<>();
    private int currentIndex;
    private String currentLocation;
    private List<String> visitedDestinations = new ArrayList<>();
    private boolean mutable = true;
    private boolean circular;
    private int loopCount;
    private boolean completed;

    /** Set only while {@link #dispatchNext} hands the agent over; never stored (Jackson skips transient fields). */
    private transient volatile Departure departure;

    private record Departure(String from) {
    }

    /** Where the plan stood before an advance, to undo it when the dispatch fails. */
    private record Progress(int currentIndex, int loopCount, String currentLocation, int visitedCount,
                            boolean completed) {
    }

    /** One advance of {@link #dispatchNext}: where to, and the progress before it. */
    private record Step(String target, Progress before) {
    }

    /** An empty, mutable, non-circular plan. */
    public ItineraryPlan() {
    }

    /** A mutable, non-circular plan over these destinations, in this order. */
    public ItineraryPlan(List<String> route) {
        route.forEach(destination -> destinations.add(checkedDestination(destination)));
    }

    // ---- the stored properties ----------------------------------------------------------

    /** The destinations in visiting order (read-only). */
    public List<String> getDestinations() {
        return Collections.unmodifiableList(destinations);
    }

    /** The position of the next destination in {@link #getDestinations()}; equal to its size at the end of a pass. */
    public int getCurrentIndex() {
        return currentIndex;
    }

    /** The destination the plan last dispatched the agent to; {@code null} before the first dispatch. */
    public String getCurrentLocation() {
        return currentLocation;
    }

    /** Every destination the plan dispatched the agent to, in order (read-only). */
    public List<String> getVisitedDestinations() {
        return Collections.unmodifiableList(visitedDestinations);
    }

    /** Whether the destinations may still change; see {@link #setImmutable()}. */
    public boolean isMutable() {
        return mutable;
    }

    /** Whether the route starts over at its first destination after its last one. */
    public boolean isCircular() {
        return circular;
    }

    /** A circular plan starts over after its last destination; a plain one completes there. */
    public void setCircular(boolean circular) {
        this.circular = circular;
    }

    /** How many times a circular route has started over. */
    public int getLoopCount() {
        return loopCount;
    }

    /**
     * Whether the last {@link #dispatchNext} found no destination left. Cleared again when a later
     * {@code dispatchNext} finds one (after destinations were added).
     */
    public boolean isCompleted() {
        return completed;
    }

    // ---- changing the route ---------------------------------------------------------------

    /** Appends a destination to the route. */
    public void addNextDestination(String destination) {
        checkMutable();
        insert(checkedDestination(destination), destinations.size());
    }

    /**
     * Inserts a destination at {@code index} (0 to the number of destinations). At
     * {@link #getCurrentIndex()} it becomes the next destination; before it, it lies behind the
     * agent (and is visited on the next pass of a circular route), so the next destination stays
     * the same.
     */
    public void addNextDestination(String destination, int index) {
        checkMutable();
        String checked = checkedDestination(destination);
        if (index < 0 || index > destinations.size()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "cannot insert '" + checked + "' at position " + index
                    + ": the itinerary has " + destinations.size() + " destinations (positions 0 to "
                    + destinations.size() + ")");
        }
        insert(checked, index);
    }

    /** Inserts a destination right after the first occurrence of {@code after}, which must be on the route. */
    public void addNextDestinationAfter(String destination, String after) {
        checkMutable();
        String checked = checkedDestination(destination);
        int position = destinations.indexOf(after);
        if (position < 0) {
            throw new JagletException(ErrorType.BAD_REQUEST, "cannot insert '" + checked + "' after '" + after
                    + "': it is not on the itinerary " + destinations);
        }
        insert(checked, position + 1);
    }

    /** Appends a destination unless it is already on the route; returns whether it was added. */
    public boolean addNextDestinationIfNotDuplicated(String destination) {
        checkMutable();
        String checked = checkedDestination(destination);
        if (destinations.contains(checked)) {
            return false;
        }
        insert(checked, destinations.size());
        return true;
    }

    /** Removes the first occurrence of a destination; returns whether it was on the route. */
    public boolean removeDestination(String destination) {
        checkMutable();
        int position = destinations.indexOf(destination);
        if (position < 0) {
            return false;
        }
        removeAt(position);
        return true;
    }

    /** Removes and returns the destination at {@code index}. */
    public String removeDestinationAt(int index) {
        checkMutable();
        if (index < 0 || index >= destinations.size()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "cannot remove position " + index
                    + ": the itinerary has " + destinations.size() + " destinations");
        }
        return removeAt(index);
    }

    /** Freezes the destinations for good; see the class description. */
    public void setImmutable() {
        mutable = false;
    }

    // ---- moving along ----------------------------------------------------------------------

    /** The destination {@link #dispatchNext} would go to, or empty when the route is done. */
    public Optional<String> nextDestination() {
        if (currentIndex < destinations.size()) {
            return Optional.of(destinations.get(currentIndex));
        }
        if (circular && !destinations.isEmpty()) {
            return Optional.of(destinations.get(0));
        }
        return Optional.empty();
    }

    /** How many destinations are left in the current pass. */
    public int remainingDestinationCount() {
        return Math.max(0, destinations.size() - currentIndex);
    }

    /**
     * Passes over the next destination without going there (it is not recorded as visited), and
     * returns it; empty when the route is done. A circular route wraps exactly as
     * {@link #dispatchNext} does.
     */
    public Optional<String> skipNext() {
        Optional<String> next = nextDestination();
        next.ifPresent(ignored -> advance());
        return next;
    }

    /** {@link #dispatchNext(Jaglet, TransferTicket)} with a default ticket. */
    public Optional<JagletProxy> dispatchNext(Jaglet<?> agent) {
        return dispatchNext(agent, TransferTicket.to(null));
    }

    /**
     * Moves {@code agent} to the next destination, with {@code template}'s settings (its own
     * destination is ignored), and returns where the agent lives now. This plan must be the one
     * held by the agent's state.
     *
     * <p>The plan advances first, under the agent's state lock: the index moves on (a circular
     * route wraps to its start and counts a loop), {@link #getCurrentLocation()} becomes the
     * destination and it is added to the visited ones. Then the agent is dispatched, so the copy
     * that arrives sees the new position. During the dispatch (in {@link Jaglet#onDispatching})
     * tasks of a {@link TaskItineraryPlan} are still those of the destination being left.
     *
     * <p>If the dispatch fails, the agent stays here and the plan is put back exactly as it was,
     * so a retry goes to the same destination; the error is rethrown.
     *
     * @return the agent at its new host; empty when no destination is left, in which case the
     *         plan is marked {@link #isCompleted() completed} and nothing is dispatched
     */
    public Optional<JagletProxy> dispatchNext(Jaglet<?> agent, TransferTicket template) {
        if (template == null) {
            throw new JagletException(ErrorType.BAD_REQUEST,
                    "dispatchNext needs a ticket template; use TransferTicket.to(null) for the defaults");
        }
        Optional<Step> step = agent.lockedState(state -> beginDeparture());
        if (step.isEmpty()) {
            return Optional.empty();
        }
        JagletProxy moved;
        try {
            moved = agent.dispatch(template.withDestination(step.get().target()));
        } catch (RuntimeException failed) {
            agent.locked(() -> restore(step.get().before()));
            throw failed;
        } finally {
            departure = null;
        }
        return Optional.of(moved);
    }

    /**
     * Where the agent is, as far as its tasks are concerned: the destination being left while
     * {@link #dispatchNext} hands it over, otherwise {@link #getCurrentLocation()}.
     */
    String taskLocation() {
        Departure leaving = departure;
        return leaving != null ? leaving.from() : currentLocation;
    }

    void checkMutable() {
        if (!mutable) {
            throw new JagletException(ErrorType.BAD_REQUEST,
                    "this itinerary is immutable (setImmutable was called): its destinations and tasks can no "
                            + "longer change; build a new plan for a different route");
        }
    }

    static String checkedDestination(String destination) {
        if (destination == null || destination.isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST,
                    "a destination must be a host name or URL, not '" + destination + "'");
        }
        return destination;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + destinations + " next=" + currentIndex + " at=" + currentLocation
                + (circular ? " circular loops=" + loopCount : "") + (completed ? " completed" : "")
                + (mutable ? "" : " immutable");
    }

    private void insert(String destination, int index) {
        destinations.add(index, destination);
        if (index < currentIndex) {
            currentIndex++;
        }
    }

    private String removeAt(int index) {
        String removed = destinations.remove(index);
        if (index < currentIndex) {
            currentIndex--;
        }
        return removed;
    }

    /**
     * Advances to the next destination as {@link #dispatchNext} describes; marks the plan
     * completed and returns empty when no destination is left.
     */
    private Optional<Step> beginDeparture() {
        Optional<String> target = nextDestination();
        if (target.isEmpty()) {
            completed = true;
            return Optional.empty();
        }
        Progress before = progress();
        departure = new Departure(currentLocation);
        advance();
        currentLocation = target.get();
        visitedDestinations.add(target.get());
        completed = false;
        return Optional.of(new Step(target.get(), before));
    }

    /** Moves the index past the next destination; the caller has checked there is one. */
    private void advance() {
        if (currentIndex >= destinations.size()) {
            currentIndex = 0;
            loopCount++;
        }
        currentIndex++;
    }

    private Progress progress() {
        return new Progress(currentIndex, loopCount, currentLocation, visitedDestinations.size(), completed);
    }

    private void restore(Progress before) {
        currentIndex = before.currentIndex();
        loopCount = before.loopCount();
        currentLocation = before.currentLocation();
        visitedDestinations.subList(before.visitedCount(), visitedDestinations.size()).clear();
        completed = before.completed();
    }

    // ---- restoring from JSON (used by Jackson only) --------------------------------------------

    private void setDestinations(List<String> destinations) {
        this.destinations = destinations == null ? new ArrayList<>() : new ArrayList<>(destinations);
    }

    private void setCurrentIndex(int currentIndex) {
        this.currentIndex = Math.max(0, currentIndex);
    }

    private void setCurrentLocation(String currentLocation) {
        this.currentLocation = currentLocation;
    }

    private void setVisitedDestinations(List<String> visitedDestinations) {
        this.visitedDestinations = visitedDestinations == null ? new ArrayList<>()
                : new ArrayList<>(visitedDestinations);
    }

    private void setMutable(boolean mutable) {
        this.mutable = mutable;
    }

    private void setLoopCount(int loopCount) {
        this.loopCount = Math.max(0, loopCount);
    }

    private void setCompleted(boolean completed) {
        this.completed = completed;
    }
}
