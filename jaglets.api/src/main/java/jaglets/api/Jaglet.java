package jaglets.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An agent. Subclass it with a state class {@code S} that Jackson can write and read (a record
 * or a plain class): only the state moves and persists, instance fields are transient. The
 * subclass needs a public no-argument constructor.
 *
 * <p>Hooks run in this order (each in the agent's own JVM): creation
 * {@link #onCreation}; activation {@link #onActivation}; deactivation
 * {@link #deactivationPolicy} then {@link #onDeactivating} then resource cleanup; disposal
 * {@link #onDisposing} then cleanup; movement {@link #onDispatching}/{@link #onReverting} at the
 * source and {@link #onArrival} at the target; cloning {@link #onCloning} in the original,
 * {@link #onClone} in the clone, {@link #onCloned} in the original. {@link #run()} starts in
 * its own thread after the host accepted a creation, arrival, clone or activation.
 *
 * <p>Messages are handled one at a time, higher priority first. Use the state lock
 * ({@link #lockedState}, {@link #updateState}, {@link StateLocked}) when {@code run()} or
 * threads of the agent touch the state too.
 */
public abstract class Jaglet<S> {

    private static final Object NOT_HANDLED = new Object() {
        @Override
        public String toString() {
            return "NOT_HANDLED";
        }
    };

    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition stateChanged = stateLock.newCondition();
    private final ResourceRegistry resources = new ResourceRegistry();
    private volatile S state;
    private volatile String agentId;
    private volatile JagletContext context;

    /** What a class's message handling looks like, found once per class. */
    private record Handlers(Map<String, Method> byKind, boolean handleMessageLocked) {
    }

    private static final ClassValue<Handlers> HANDLERS = new ClassValue<>() {
        @Override
        protected Handlers computeValue(Class<?> type) {
            return findHandlers(type);
        }
    };

    // ---- hooks (all no-ops by default) -------------------------------------------------

    public void onCreation(CreationEvent event) {
    }

    public void onArrival(MobilityEvent event) {
    }

    public void onDispatching(MobilityEvent event) {
    }

    public void onReverting(MobilityEvent event) {
    }

    public void onCloning(CloneEvent event) {
    }

    public void onClone(CloneEvent event) {
    }

    public void onCloned(CloneEvent event) {
    }

    public void onDeactivating(PersistencyEvent event) {
    }

    public void onActivation(PersistencyEvent event) {
    }

    public void onDisposing(PersistencyEvent event) {
    }

    /** The policy this agent is deactivated with; by default the requested one, else the default. */
    public DeactivationPolicy deactivationPolicy(DeactivationRequest request) {
        return request.policy() != null ? request.policy() : DeactivationPolicy.DEFAULT;
    }

    /** The agent's own activity; started in its own thread, beside message handlers. */
    public void run() {
    }

    /**
     * Handles one message and returns the reply. By default routes to the {@link OnMessage}
     * method for the message's kind and fails with {@link ErrorType#NOT_HANDLED} if there is none.
     */
    public Object handleMessage(Message message) {
        Method handler = handlers().get(message.kind());
        if (handler == null) {
            return notHandled();
        }
        return invoke(handler, message);
    }

    /** Return this from a handler to say the message was not for this agent. */
    protected final Object notHandled() {
        return NOT_HANDLED;
    }

    // ---- state ------------------------------------------------------------------------

    /** The current state object. */
    public final S state() {
        return state;
    }

    /** Replaces the state under the lock and wakes every {@link #waitState} waiter. */
    public final void setState(S newState) {
        stateLock.lock();
        try {
            state = newState;
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    /** Replaces the state with {@code update(state)} atomically; returns the new state. */
    public final S updateState(UnaryOperator<S> update) {
        stateLock.lock();
        try {
            state = update.apply(state);
            stateChanged.signalAll();
            return state;
        } finally {
            stateLock.unlock();
        }
    }

    /** Runs {@code action} on the state while holding the state lock. */
    public final <R> R lockedState(Function<S, R> action) {
        stateLock.lock();
        try {
            return action.apply(state);
        } finally {
            stateLock.unlock();
        }
    }

    /** Runs {@code action} while holding the state lock (reentrant). */
    public final void locked(Runnable action) {
        stateLock.lock();
        try {
            action.run();
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Waits until {@code condition} holds for the state, or the timeout passes. Returns at once
     * when it already holds. Woken by {@link #notifyStateChanged}, {@link #setState} and
     * {@link #updateState}.
     */
    public final boolean waitState(Predicate<S> condition, Duration timeout) {
        long remaining = timeout.toNanos();
        stateLock.lock();
        try {
            while (!condition.test(state)) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = stateChanged.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return condition.test(state);
        } finally {
            stateLock.unlock();
        }
    }

    /** Wakes one {@link #waitState} waiter. */
    public final void notifyStateChanged() {
        stateLock.lock();
        try {
            stateChanged.signal();
        } finally {
            stateLock.unlock();
        }
    }

    /** Wakes every {@link #waitState} waiter. */
    public final void notifyAllStateChanged() {
        stateLock.lock();
        try {
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Takes the state lock for at most {@code timeout}, runs {@code action}, and returns
     * {@code null} if the lock could not be had. Used for consistent snapshots.
     */
    public final <R> R tryLockedState(Function<S, R> action, Duration timeout) {
        try {
            if (!stateLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            return action.apply(state);
        } finally {
            stateLock.unlock();
        }
    }

    // ---- identity and context -----------------------------------------------------------

    public final String agentId() {
        return agentId;
    }

    public final JagletContext context() {
        if (context == null) {
            throw new JagletException(ErrorType.LIFECYCLE, "this agent is not attached to a host yet");
        }
        return context;
    }

    public final ResourceRegistry resources() {
        return resources;
    }

    /**
     * Deactivates this agent now: policy, {@link #onDeactivating} and resource cleanup run in the
     * calling thread and the record is written; the agent's JVM ends once the current handler returns.
     */
    public final void deactivate(String reason, DeactivationPolicy policy) {
        context().deactivate(DeactivationRequest.self(reason, policy));
    }

    /**
     * Disposes this agent now: {@link #onDisposing} and resource cleanup run in the calling thread;
     * the agent's JVM ends once the current handler returns.
     */
    public final void dispose() {
        context().dispose();
    }

    /** Moves this agent to a host given by name or URL; see {@link JagletContext#dispatch}. */
    public final JagletProxy dispatch(String destination) {
        return context().dispatch(TransferTicket.to(destination));
    }

    /** Moves this agent as the ticket says; see {@link JagletContext#dispatch}. */
    public final JagletProxy dispatch(TransferTicket ticket) {
        return context().dispatch(ticket);
    }

    /** Copies this agent to a host given by name or URL ({@code null}: this host); see {@link JagletContext#cloneTo}. */
    public final JagletProxy cloneTo(String destination) {
        return context().cloneTo(TransferTicket.to(destination));
    }

    // ---- runtime entry points (called by the jaglets runtime, not by agents) --------------

    /** Binds a new instance to its identity, host and state. Allowed once. */
    public final void attach(String id, JagletContext hostContext, S initialState) {
        if (this.agentId != null) {
            throw new JagletException(ErrorType.LIFECYCLE, "agent " + this.agentId + " is already attached");
        }
        this.agentId = id;
        this.context = hostContext;
        this.state = initialState;
    }

    /**
     * Delivers a message: honours {@link StateLocked} on the handler and turns
     * {@link #notHandled()} into {@link ErrorType#NOT_HANDLED}.
     */
    public final Object deliver(Message message) {
        Object reply;
        if (handleMessageIsStateLocked()) {
            stateLock.lock();
            try {
                reply = handleMessage(message);
            } finally {
                stateLock.unlock();
            }
        } else {
            reply = handleMessage(message);
        }
        if (reply == NOT_HANDLED) {
            throw new JagletException(ErrorType.NOT_HANDLED,
                    getClass().getName() + " does not handle messages of kind '" + message.kind() + "'");
        }
        return reply;
    }

    /** The state class {@code S} this agent class declares. */
    public static Class<?> stateClassOf(Class<?> agentClass) {
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        Class<?> current = agentClass;
        while (current != null && current != Jaglet.class) {
            Type superType = current.getGenericSuperclass();
            if (superType instanceof ParameterizedType parameterized) {
                Class<?> raw = (Class<?>) parameterized.getRawType();
                TypeVariable<?>[] variables = raw.getTypeParameters();
                Type[] arguments = parameterized.getActualTypeArguments();
                for (int i = 0; i < variables.length; i++) {
                    Type argument = arguments[i];
                    bindings.put(variables[i], argument instanceof TypeVariable<?> v && bindings.containsKey(v)
                            ? bindings.get(v) : argument);
                }
                if (raw == Jaglet.class) {
                    Type stateType = bindings.get(Jaglet.class.getTypeParameters()[0]);
                    if (stateType instanceof Class<?> c) {
                        return c;
                    }
                    if (stateType instanceof ParameterizedType p) {
                        return (Class<?>) p.getRawType();
                    }
                    break;
                }
            }
            current = current.getSuperclass();
        }
        throw new JagletException(ErrorType.CODE,
                agentClass.getName() + " must extend Jaglet<S> with a concrete state class S");
    }

    // ---- internals ---------------------------------------------------------------------

    private boolean handleMessageIsStateLocked() {
        return HANDLERS.get(getClass()).handleMessageLocked();
    }

    private Map<String, Method> handlers() {
        return HANDLERS.get(getClass()).byKind();
    }

    /**
     * Finds the handlers of an agent class ahead of its first message (runtime entry point: pool
     * children call it while they wait). Fails with {@link ErrorType#CODE} for a malformed
     * {@link OnMessage} method.
     */
    public static void prepareClass(Class<?> agentClass) {
        HANDLERS.get(agentClass);
    }

    private static Handlers findHandlers(Class<?> type) {
        boolean locked;
        try {
            locked = type.getMethod("handleMessage", Message.class).isAnnotationPresent(StateLocked.class);
        } catch (NoSuchMethodException e) {
            locked = false;
        }
        Map<String, Method> found = new HashMap<>();
        for (Class<?> c = type; c != null && c != Jaglet.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                OnMessage on = method.getAnnotation(OnMessage.class);
                if (on == null) {
                    continue;
                }
                if (method.getParameterCount() > 1 || (method.getParameterCount() == 1
                        && method.getParameterTypes()[0] != Message.class)) {
                    throw new JagletException(ErrorType.CODE, "@OnMessage method " + method
                            + " must take no parameter or one Message");
                }
                method.setAccessible(true);
                for (String kind : on.value()) {
                    found.putIfAbsent(kind, method);
                }
            }
        }
        return new Handlers(Map.copyOf(found), locked);
    }

    private Object invoke(Method handler, Message message) {
        Object[] arguments = handler.getParameterCount() == 0 ? new Object[0] : new Object[] {message};
        boolean lock = handler.isAnnotationPresent(StateLocked.class);
        if (lock) {
            stateLock.lock();
        }
        try {
            return handler.invoke(this, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new JagletException(ErrorType.HOST, cause.toString(), cause);
        } catch (IllegalAccessException e) {
            throw new JagletException(ErrorType.CODE, "cannot call handler " + handler + ": " + e.getMessage());
        } finally {
            if (lock) {
                stateLock.unlock();
            }
        }
    }
}
