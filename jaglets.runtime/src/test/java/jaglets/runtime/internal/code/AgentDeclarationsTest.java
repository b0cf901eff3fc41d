package jaglets.runtime.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.BundleCompatibility;
import jaglets.runtime.AgentBundle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentDeclarationsTest {

    private static AgentDeclarations read(String classes, String compatibility) {
        Map<String, String> headers = new HashMap<>();
        if (classes != null) {
            headers.put(AgentBundle.CLASSES_HEADER, classes);
        }
        if (compatibility != null) {
            headers.put(AgentBundle.COMPATIBILITY_HEADER, compatibility);
        }
        return AgentDeclarations.read("com.example.agents", "1.0.0", headers::get);
    }

    @Test
    void aBundleThatDeclaresNothingNeedsItsExactVersion() {
        AgentDeclarations declared = read("com.example.Counter", null);
        assertEquals(BundleCompatibility.EXACT, declared.compatibility());
        assertEquals(BundleCompatibility.EXACT, read("com.example.Counter", "  ").compatibility());
    }

    @Test
    void exactAndMajorAreRead() {
        assertEquals(BundleCompatibility.MAJOR, read("com.example.Counter", "major").compatibility());
        assertEquals(BundleCompatibility.MAJOR, read("com.example.Counter", " major ").compatibility());
        assertEquals(BundleCompatibility.EXACT, read("com.example.Counter", "exact").compatibility());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Major", "minor", "major, exact", "1", "same-major"})
    void anyOtherCompatibilityIsACodeErrorNamingHeaderValueAndBundle(String value) {
        JagletException error = assertThrows(JagletException.class, () -> read("com.example.Counter", value));
        assertEquals(ErrorType.CODE, error.type());
        String message = error.getMessage();
        assertTrue(message.contains(AgentBundle.COMPATIBILITY_HEADER) && message.contains("'" + value.trim() + "'")
                && message.contains("com.example.agents 1.0.0") && message.contains("exact or major"), message);
    }

    @Test
    void theClassesAreListedTrimmedWithoutBlanks() {
        assertEquals(List.of("a.One", "b.Two"), read(" a.One, ,b.Two ,", "major").classes());
        assertEquals(List.of(), read(null, null).classes());
    }
}
