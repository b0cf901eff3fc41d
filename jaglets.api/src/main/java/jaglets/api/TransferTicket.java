package jaglets.api;

import java.time.Duration;
import java.util.List;

/**
 * Where and how an agent moves (dispatch) or is copied (clone).
 *
 * @param destination a mesh host name or a host URL ({@code http://} is added when missing);
 *        {@code null} for a clone means this host
 * @param timeout how long each step with the target may take
 * @param retries how many more times the hand-over is tried after a failed attempt
 * @param retryInterval the pause between attempts
 * @param requiredCapabilities the target must announce every one of these in its health
 * @param expectedCodeVersion the target's mesh code version must equal this, when given
 * @param expectedBundleVersion the agent's bundle must be exactly this version, and the
 *        target must already hold it (no code is sent), when given
 * @param arrivalMode run the agent on arrival, or store it inactive
 */
public record TransferTicket(String destination, Duration timeout, int retries, Duration retryInterval,
                             List<String> requiredCapabilities, String expectedCodeVersion,
                             String expectedBundleVersion, ArrivalMode arrivalMode) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(250);

    public TransferTicket {
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        retryInterval = retryInterval == null ? DEFAULT_RETRY_INTERVAL : retryInterval;
        requiredCapabilities = requiredCapabilities == null ? List.of() : List.copyOf(requiredCapabilities);
        arrivalMode = arrivalMode == null ? ArrivalMode.ACTIVATE : arrivalMode;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a transfer timeout must be positive");
        }
        if (retries < 0 || retryInterval.isNegative()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "retries and retry interval must not be negative");
        }
    }

    /** A ticket with every default: 10 s timeout, no retries, arrival mode ACTIVATE. */
    public static TransferTicket to(String destination) {
        return new TransferTicket(destination, null, 0, null, null, null, null, null);
    }

    public TransferTicket withTimeout(Duration newTimeout) {
        return new TransferTicket(destination, newTimeout, retries, retryInterval, requiredCapabilities,
                expectedCodeVersion, expectedBundleVersion, arrivalMode);
    }

    public TransferTicket withRetries(int newRetries, Duration interval) {
        return new TransferTicket(destination, timeout, newRetries, interval, requiredCapabilities,
                expectedCodeVersion, expectedBundleVersion, arrivalMode);
    }

    public TransferTicket withRequiredCapabilities(List<String> capabilities) {
        return new TransferTicket(destination, timeout, retries, retryInterval, capabilities,
                expectedCodeVersion, expectedBundleVersion, arrivalMode);
    }

    public TransferTicket withExpectedCodeVersion(String version) {
        return new TransferTicket(destination, timeout, retries, retryInterval, requiredCapabilities,
                version, expectedBundleVersion, arrivalMode);
    }

    public TransferTicket withExpectedBundleVersion(String version) {
        return new TransferTicket(destination, timeout, retries, retryInterval, requiredCapabilities,
                expectedCodeVersion, version, arrivalMode);
    }

    public TransferTicket withArrivalMode(ArrivalMode mode) {
        return new TransferTicket(destination, timeout, retries, retryInterval, requiredCapabilities,
                expectedCodeVersion, expectedBundleVersion, mode);
    }

    public TransferTicket withDestination(String newDestination) {
        return new TransferTicket(newDestination, timeout, retries, retryInterval, requiredCapabilities,
                expectedCodeVersion, expectedBundleVersion, arrivalMode);
    }
}
