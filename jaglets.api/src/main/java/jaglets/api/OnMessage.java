package jaglets.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Jaglet} as the handler of messages of the given kinds. The method
 * takes no parameter or one {@link Message}; what it returns is the reply. The default
 * {@link Jaglet#handleMessage} routes to these methods.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnMessage {
    String[] value();
}
