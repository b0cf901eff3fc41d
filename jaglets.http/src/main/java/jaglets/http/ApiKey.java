package jaglets.http;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A host's API key, if it has one: the one check every servlet of a host makes. Keys are
 * compared as SHA-256 digests with a constant-time comparison, so neither their content nor their
 * length leaks through timing. The key itself is never logged.
 */
public final class ApiKey {
    /** The environment variable that holds the key unless {@code jaglets.api.key.env} names another. */
    public static final String DEFAULT_VARIABLE = "JAGLETS_API_KEY";

    private final byte[] digest;

    private ApiKey(byte[] digest) {
        this.digest = digest;
    }

    /** The key held by the named environment variable; none when the variable is unset or empty. */
    public static ApiKey fromEnvironment(String variable) {
        String value = variable == null ? null : System.getenv(variable);
        return of(value);
    }

    public static ApiKey of(String key) {
        return new ApiKey(key == null || key.isEmpty() ? null : sha256(key));
    }

    public boolean required() {
        return digest != null;
    }

    /** Whether an {@code Authorization} header value carries this key as a bearer token. */
    public boolean accepts(String authorization) {
        if (digest == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).trim()));
    }

    /** The error of a request without this key: 401, to be sent with {@code WWW-Authenticate: Bearer}. */
    public static JagletException refusal() {
        return new JagletException(ErrorType.AUTHENTICATION, "this host needs 'Authorization: Bearer <key>' with its API key");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
