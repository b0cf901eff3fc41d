package jaglets.api;

/**
 * The one exception type of jaglets. Its {@link #type()} tells what went wrong; the message
 * says what to do about it.
 */
public class JagletException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorType type;

    public JagletException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public JagletException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }

    @Override
    public String toString() {
        return type.wireName() + ": " + getMessage();
    }
}
