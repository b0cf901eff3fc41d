package jaglets.protocol;

/** The operation names of the host-child channel, in one place for both ends. */
public final class Ops {
    private Ops() {
    }

    // host -> child requests
    /**
     * Install the bundle closure, build the agent, run one lifecycle hook; with {@code staged} the
     * hook waits for {@link #LAND}.
     */
    public static final String LOAD = "load";
    /**
     * Run the hook ({@code onArrival} or {@code onClone}) of an agent loaded staged: its transfer
     * is committed, the agent lives here from now on.
     */
    public static final String LAND = "land";
    public static final String MESSAGE = "message";
    /** Policy, {@code onDeactivating}, cleanup, snapshot. */
    public static final String DEACTIVATE = "deactivate";
    /** {@code onDisposing}, cleanup. */
    public static final String DISPOSE = "dispose";
    /** A state snapshot, answered beside running handlers. */
    public static final String STATE = "state";
    public static final String RESOURCES = "resources";
    /** {@code onDispatching} or {@code onReverting}, cleanup, snapshot: the agent is about to leave. */
    public static final String DEPART = "depart";
    /** {@code onCloning}, then a snapshot for the copy. */
    public static final String CLONING = "cloning";
    /** {@code onCloned}: the copy is live. */
    public static final String CLONED = "cloned";
    /**
     * Install and resolve bundles and load agent classes ahead of need (pool children); the
     * reply says the child is ready.
     */
    public static final String PRELOAD = "preload";
    // host -> child events
    /** Start {@code run()}: the host has accepted the lifecycle reply. */
    public static final String RUN = "run";
    public static final String EXIT = "exit";

    // child -> host events
    public static final String HELLO = "hello";
    public static final String RUN_FAILED = "run_failed";
    public static final String RUN_COMPLETE = "run_complete";

    // child -> host requests (the agent's context)
    public static final String CTX_PROXIES = "ctx.proxies";
    public static final String CTX_AGENT_INFO = "ctx.agent_info";
    public static final String CTX_SEND = "ctx.send";
    public static final String CTX_CREATE = "ctx.create";
    public static final String CTX_DEACTIVATE_OTHER = "ctx.deactivate_other";
    public static final String CTX_ACTIVATE_OTHER = "ctx.activate_other";
    public static final String CTX_DISPOSE_OTHER = "ctx.dispose_other";
    /** The agent deactivated itself: carries policy, request and the state snapshot. */
    public static final String CTX_COMPLETE_DEACTIVATE = "ctx.complete_deactivate";
    public static final String CTX_COMPLETE_DISPOSE = "ctx.complete_dispose";
    public static final String CTX_PROPERTY_GET = "ctx.property_get";
    public static final String CTX_PROPERTY_SET = "ctx.property_set";
    public static final String CTX_WORK_DIR = "ctx.work_dir";
    public static final String CTX_STORAGE = "ctx.storage";
    /** Resolves and checks a move's target before the agent's hooks run. */
    public static final String CTX_MOVE_PREFLIGHT = "ctx.move_preflight";
    /** The agent dispatched itself: carries the ticket, the resolved target and the state. */
    public static final String CTX_DISPATCH = "ctx.dispatch";
    /** The agent cloned itself: carries the ticket, the resolved target, the copy's id and the state. */
    public static final String CTX_CLONE = "ctx.clone";
    /** Dispatch or clone another agent (field {@code action}). */
    public static final String CTX_MOVE_OTHER = "ctx.move_other";
    public static final String CTX_RETRACT = "ctx.retract";
    public static final String CTX_HOSTS = "ctx.hosts";
    public static final String CTX_WAIT_FOR_HOST = "ctx.wait_for_host";
}
