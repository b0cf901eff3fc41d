package jaglets.runtime;

/** Told of every host event, synchronously, in order. Must not block. */
@FunctionalInterface
public interface HostEventListener {
    void onEvent(HostEvent event);
}
