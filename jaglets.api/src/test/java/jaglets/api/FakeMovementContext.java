package jaglets.api;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A host that only knows movement, for unit tests: {@link #dispatch} runs the agent's
 * {@code onDispatching} in the calling thread as the runtime does, then hands the agent over
 * through {@link #handOver} (which may inspect the agent or throw to fail the move) and records
 * the ticket. Everything else is unsupported.
 */
final class FakeMovementContext implements JagletContext {

    /** The host side of a move: sees the ticket at the moment the agent would be written. */
    interface HandOver {
        void accept(TransferTicket ticket);
    }

    private final String hostName;
    private final List<TransferTicket> dispatched = new ArrayList<>();
    private Jaglet<?> agent;
    private HandOver handOver = ticket -> {
    };

    private FakeMovementContext(String hostName) {
        this.hostName = hostName;
    }

    /** Attaches {@code agent} with {@code state} to a fake host named {@code hostName}. */
    static <S> FakeMovementContext attach(Jaglet<S> agent, String hostName, S state) {
        FakeMovementContext context = new FakeMovementContext(hostName);
        context.agent = agent;
        agent.attach("agent-1", context, state);
        return context;
    }

    /** A handover that fails the next {@code times} moves with a {@link ErrorType#TRANSFER} error. */
    static HandOver failing(int times) {
        int[] left = {times};
        return ticket -> {
            if (left[0]-- > 0) {
                throw new JagletException(ErrorType.TRANSFER, ticket.destination() + " did not answer");
            }
        };
    }

    /** The agent this fake host holds. */
    Jaglet<?> agent() {
        return agent;
    }

    void handOver(HandOver next) {
        this.handOver = next;
    }

    /** The tickets of the moves that succeeded, in order. */
    List<TransferTicket> dispatched() {
        return dispatched;
    }

    /** A mobility event as a hook at {@code host} would get it. */
    static MobilityEvent event(String host, String source, String target) {
        return new MobilityEvent("agent-1", host, "http://" + host, Instant.now(), source, "http://" + source,
                target, "http://" + target, "dispatch");
    }

    @Override
    public JagletProxy dispatch(TransferTicket ticket) {
        agent.onDispatching(event(hostName, hostName, ticket.destination()));
        handOver.accept(ticket);
        dispatched.add(ticket);
        return new MovedProxy(agent.agentId(), "http://" + ticket.destination());
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public String hostAddress() {
        return "http://" + hostName;
    }

    @Override
    public String agentId() {
        return agent.agentId();
    }

    @Override
    public Optional<JagletProxy> proxy(String agentId) {
        throw unsupported();
    }

    @Override
    public List<JagletProxy> proxies(AgentStatus which) {
        throw unsupported();
    }

    @Override
    public JagletProxy resolve(JagletProxyRef ref) {
        throw unsupported();
    }

    @Override
    public JagletProxy create(String className, String bundleVersion, Object state, Object init) {
        throw unsupported();
    }

    @Override
    public void deactivate(DeactivationRequest request) {
        throw unsupported();
    }

    @Override
    public void dispose() {
        throw unsupported();
    }

    @Override
    public JagletProxy cloneTo(TransferTicket ticket) {
        throw unsupported();
    }

    @Override
    public JagletProxy retract(JagletProxyRef ref) {
        throw unsupported();
    }

    @Override
    public List<HostInfo> hosts() {
        throw unsupported();
    }

    @Override
    public HostInfo waitForHost(String nameOrUrl, Duration timeout) {
        throw unsupported();
    }

    @Override
    public Optional<Object> property(String key) {
        throw unsupported();
    }

    @Override
    public void setProperty(String key, Object value) {
        throw unsupported();
    }

    @Override
    public Path workDir() {
        throw unsupported();
    }

    @Override
    public PersistentStorage persistentStorage() {
        throw unsupported();
    }

    @Override
    public PersistentStorage persistentStorage(long quotaBytes) {
        throw unsupported();
    }

    @Override
    public <T> T convert(Object value, Class<T> type) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("the fake host only supports dispatch");
    }

    /** Where a moved agent lives; only its id and address are known. */
    record MovedProxy(String agentId, String hostAddress) implements JagletProxy {

        @Override
        public AgentSummary info() {
            throw unsupported();
        }

        @Override
        public Object send(Message message) {
            throw unsupported();
        }

        @Override
        public Object send(Message message, SendOptions options) {
            throw unsupported();
        }

        @Override
        public void sendOneway(Message message) {
            throw unsupported();
        }

        @Override
        public FutureReply sendFuture(Message message) {
            throw unsupported();
        }

        @Override
        public void deactivate(DeactivationRequest request) {
            throw unsupported();
        }

        @Override
        public void activate() {
            throw unsupported();
        }

        @Override
        public void dispose() {
            throw unsupported();
        }

        @Override
        public JagletProxy dispatch(TransferTicket ticket) {
            throw unsupported();
        }

        @Override
        public JagletProxy cloneTo(TransferTicket ticket) {
            throw unsupported();
        }
    }
}
