package jaglets.api;

import java.time.Instant;

/** What every lifecycle hook is told: which agent, on which host, when. */
public sealed interface LifecycleEvent permits CreationEvent, MobilityEvent, CloneEvent, PersistencyEvent {
    String agentId();

    String hostName();

    String hostAddress();

    Instant timestamp();
}
