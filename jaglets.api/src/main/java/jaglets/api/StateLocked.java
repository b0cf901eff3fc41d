package jaglets.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The handler runs while holding the agent's state lock, so {@code run()} and threads the agent
 * started see its state change atomically. Applies to {@link OnMessage} methods and to an
 * overriding {@link Jaglet#handleMessage}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StateLocked {
}
