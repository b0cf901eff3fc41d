package jaglets.api;

/**
 * The closed set of jaglets error types. Each carries the {@code error_type} name used on the
 * wire (paglets' name where the concept is the same, so paglets clients can map them) and the
 * HTTP status the control plane answers with.
 */
public enum ErrorType {
    /** Generic host failure, or an exception of a non-jaglets type thrown by an agent handler. */
    HOST("HostError", 400),
    /** State or payload that cannot be written or read as JSON, or does not fit its class. */
    SERIALIZATION("SerializationError", 400),
    /** Malformed or ill-typed request input. */
    BAD_REQUEST("BadRequestError", 400),
    /** Unknown agent, or an operation aimed at an agent that is not there. */
    INVALID_AGENT("InvalidAgentError", 404),
    /** The agent is inactive and the message may not be queued or may not activate it. */
    AGENT_INACTIVE("PagletInactiveError", 400),
    /** The agent's child JVM exited, was killed, or its {@code run()} failed. */
    AGENT_CRASHED("PagletCrashedError", 400),
    /** No handler took the message. */
    NOT_HANDLED("NotHandledError", 422),
    /** A lifecycle step failed (a deactivation policy was missing, the agent was not attached). */
    LIFECYCLE("LifecycleError", 400),
    /** Non-suppressed resource cleanups failed; the operation was cancelled. */
    RESOURCE_CLEANUP("ResourceCleanupError", 400),
    /** Managed storage would exceed its quota. */
    STORAGE_QUOTA("StorageQuotaError", 400),
    /** A storage path leaves its root, or another path rule was broken. */
    PATH("PathError", 400),
    /** Agent code is missing: unknown class, bundle, or bundle version. */
    CODE("CodeError", 400),
    /** The operation conflicts with the current state (e.g. uninstalling a bundle in use). */
    CONFLICT("ConflictError", 409),
    /** Movement failed. */
    TRANSFER("TransferError", 400),
    /** Missing or wrong credentials. */
    AUTHENTICATION("AuthenticationError", 401),
    /** The operation is not allowed here. */
    FORBIDDEN("ForbiddenError", 403),
    /** A remote host could not be reached or answered something unexpected. */
    REMOTE_HOST("RemoteHostError", 500),
    /** The operation did not finish in time. */
    TIMEOUT("TimeoutError", 504),
    /** No such route on the HTTP API. */
    NOT_FOUND("NotFoundError", 404),
    /** The route exists but not for this HTTP method. */
    METHOD_NOT_ALLOWED("MethodNotAllowedError", 405),
    /** The request body is larger than the host accepts. */
    PAYLOAD_TOO_LARGE("PayloadTooLargeError", 413),
    /** The request body is not of a content type the route accepts. */
    UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaTypeError", 415);

    private final String wireName;
    private final int httpStatus;

    ErrorType(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    /** The {@code error_type} string on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The HTTP status that carries this error. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Maps a wire name back to its type; unknown names become {@link #REMOTE_HOST}. */
    public static ErrorType fromWireName(String name) {
        for (ErrorType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        return REMOTE_HOST;
    }
}
