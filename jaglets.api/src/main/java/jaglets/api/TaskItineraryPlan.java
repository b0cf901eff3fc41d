package jaglets.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link ItineraryPlan} that also says what to do along the route: tasks for single
 * destinations, each for one {@link ItineraryTask.Phase phase}, and default tasks for every
 * destination, run in the phases the {@code executeDefaultOn...} settings enable (arrival only,
 * unless changed). {@link ItineraryJaglet#executeItineraryTasks} runs them.
 *
 * <p>The tasks are part of the route: once the plan is {@link #setImmutable() immutable}, adding
 * or removing one fails with {@link ErrorType#BAD_REQUEST}, as for destinations.
 */
public class TaskItineraryPlan extends ItineraryPlan {

    private Map<String, List<ItineraryTask>> destinationTasks = new LinkedHashMap<>();
    private List<ItineraryTask> defaultTasks = new ArrayList<>();
    private boolean executeDefaultOnArrival = true;
    private boolean executeDefaultOnDispatch;
    private boolean executeDefaultOnReverting;

    /** An empty, mutable, non-circular plan without tasks. */
    public TaskItineraryPlan() {
    }

    /** A mutable, non-circular plan over these destinations, without tasks yet. */
    public TaskItineraryPlan(List<String> route) {
        super(route);
    }

    // ---- the stored properties ----------------------------------------------------------

    /** The tasks of single destinations, by destination (read-only). */
    public Map<String, List<ItineraryTask>> getDestinationTasks() {
        Map<String, List<ItineraryTask>> view = new LinkedHashMap<>();
        destinationTasks.forEach((destination, tasks) -> view.put(destination, Collections.unmodifiableList(tasks)));
        return Collections.unmodifiableMap(view);
    }

    /** The tasks run at every destination, in the phases the settings enable (read-only). */
    public List<ItineraryTask> getDefaultTasks() {
        return Collections.unmodifiableList(defaultTasks);
    }

    public boolean isExecuteDefaultOnArrival() {
        return executeDefaultOnArrival;
    }

    /** Whether default tasks run on arrival; true unless changed. */
    public void setExecuteDefaultOnArrival(boolean executeDefaultOnArrival) {
        this.executeDefaultOnArrival = executeDefaultOnArrival;
    }

    public boolean isExecuteDefaultOnDispatch() {
        return executeDefaultOnDispatch;
    }

    /** Whether default tasks run when the agent leaves a destination; false unless changed. */
    public void setExecuteDefaultOnDispatch(boolean executeDefaultOnDispatch) {
        this.executeDefaultOnDispatch = executeDefaultOnDispatch;
    }

    public boolean isExecuteDefaultOnReverting() {
        return executeDefaultOnReverting;
    }

    /** Whether default tasks run when the agent is retracted; false unless changed. */
    public void setExecuteDefaultOnReverting(boolean executeDefaultOnReverting) {
        this.executeDefaultOnReverting = executeDefaultOnReverting;
    }

    // ---- changing the tasks ---------------------------------------------------------------

    /**
     * Adds a default task (its phase must be {@link ItineraryTask.Phase#DEFAULT}); returns false
     * when an equal one is already there.
     */
    public boolean addDefaultTask(ItineraryTask task) {
        checkMutable();
        if (checkedTask(task).phase() != ItineraryTask.Phase.DEFAULT) {
            throw new JagletException(ErrorType.BAD_REQUEST, "default task '" + task.name() + "' has phase "
                    + task.phase() + "; default tasks have phase DEFAULT (add it to a destination instead)");
        }
        if (defaultTasks.contains(task)) {
            return false;
        }
        defaultTasks.add(task);
        return true;
    }

    /** Removes a default task; returns whether it was there. */
    public boolean removeDefaultTask(ItineraryTask task) {
        checkMutable();
        return defaultTasks.remove(task);
    }

    /**
     * Adds a task for one destination. A task of phase {@link ItineraryTask.Phase#DEFAULT}
     * becomes a default task instead (see {@link #addDefaultTask}); returns whether it was added.
     */
    public boolean addTaskForDestination(String destination, ItineraryTask task) {
        checkMutable();
        String checked = checkedDestination(destination);
        if (checkedTask(task).phase() == ItineraryTask.Phase.DEFAULT) {
            return addDefaultTask(task);
        }
        destinationTasks.computeIfAbsent(checked, ignored -> new ArrayList<>()).add(task);
        return true;
    }

    /** Appends a destination to the route together with a task for it. */
    public void addNextDestinationWithTask(String destination, ItineraryTask task) {
        checkMutable();
        checkedTask(task);
        addNextDestination(destination);
        addTaskForDestination(destination, task);
    }

    /** Removes one task of a destination; returns whether it was there. */
    public boolean removeTaskForDestination(String destination, ItineraryTask task) {
        checkMutable();
        List<ItineraryTask> tasks = destinationTasks.get(destination);
        if (tasks == null || !tasks.remove(task)) {
            return false;
        }
        if (tasks.isEmpty()) {
            destinationTasks.remove(destination);
        }
        return true;
    }

    /** Removes every task of a destination; returns whether it had any. */
    public boolean removeAllTasksForDestination(String destination) {
        checkMutable();
        return destinationTasks.remove(destination) != null;
    }

    // ---- what to run ------------------------------------------------------------------------

    /** The tasks of one destination, in every phase, in the order they were added. */
    public List<ItineraryTask> tasksForDestination(String destination) {
        return List.copyOf(destinationTasks.getOrDefault(destination, List.of()));
    }

    /**
     * What to run at {@code destination} in {@code phase}: the default tasks if the settings
     * enable them for that phase, then the destination's own tasks of that phase. A {@code null}
     * destination (before the first dispatch) gets the default tasks only.
     */
    public List<ItineraryTask> tasksForPhase(String destination, ItineraryTask.Phase phase) {
        List<ItineraryTask> tasks = new ArrayList<>();
        if (defaultsRunIn(phase)) {
            tasks.addAll(defaultTasks);
        }
        if (destination != null) {
            for (ItineraryTask task : destinationTasks.getOrDefault(destination, List.of())) {
                if (task.phase() == phase) {
                    tasks.add(task);
                }
            }
        }
        return tasks;
    }

    /**
     * {@link #tasksForPhase(String, ItineraryTask.Phase)} for where the agent is: the destination
     * it is leaving while {@link #dispatchNext} hands it over, otherwise
     * {@link #getCurrentLocation()}.
     */
    public List<ItineraryTask> tasksForPhase(ItineraryTask.Phase phase) {
        return tasksForPhase(taskLocation(), phase);
    }

    private static ItineraryTask checkedTask(ItineraryTask task) {
        if (task == null) {
            throw new JagletException(ErrorType.BAD_REQUEST, "an itinerary task must not be null");
        }
        return task;
    }

    private boolean defaultsRunIn(ItineraryTask.Phase phase) {
        return switch (phase) {
            case ARRIVAL -> executeDefaultOnArrival;
            case DISPATCH -> executeDefaultOnDispatch;
            case REVERTING -> executeDefaultOnReverting;
            case DEFAULT -> false;
        };
    }

    // ---- restoring from JSON (used by Jackson only) --------------------------------------------

    private void setDestinationTasks(Map<String, List<ItineraryTask>> destinationTasks) {
        this.destinationTasks = new LinkedHashMap<>();
        if (destinationTasks != null) {
            destinationTasks.forEach((destination, tasks) -> {
                if (tasks != null && !tasks.isEmpty()) {
                    this.destinationTasks.put(destination, new ArrayList<>(tasks));
                }
            });
        }
    }

    private void setDefaultTasks(List<ItineraryTask> defaultTasks) {
        this.defaultTasks = defaultTasks == null ? new ArrayList<>() : new ArrayList<>(defaultTasks);
    }
}
