package jaglets.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The host's API key, if it has one. Keys are compared as SHA-256 digests with a constant-time
 * comparison, so neither their content nor their length leaks through timing. The key itself is
 * never logged.
 */
final class ApiKey {
    private final byte[] digest;

    private ApiKey(byte[] digest) {
        this.digest = digest;
    }

    /** The key held by the named environment variable; none when the variable is unset or empty. */
    static ApiKey fromEnvironment(String variable) {
        String value = variable == null ? null : System.getenv(variable);
        return new ApiKey(value == null || value.isEmpty() ? null : sha256(value));
    }

    static ApiKey of(String key) {
        return new ApiKey(key == null || key.isEmpty() ? null : sha256(key));
    }

    boolean required() {
        return digest != null;
    }

    /** Whether an {@code Authorization} header value carries this key as a bearer token. */
    boolean accepts(String authorization) {
        if (digest == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).trim()));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
