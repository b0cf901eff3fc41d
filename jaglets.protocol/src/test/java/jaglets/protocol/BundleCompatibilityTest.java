package jaglets.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BundleCompatibilityTest {

    @Test
    void aDeclarationIsExactOrMajorAndNothingElse() {
        assertEquals(BundleCompatibility.EXACT, BundleCompatibility.fromDeclaration(null));
        assertEquals(BundleCompatibility.EXACT, BundleCompatibility.fromDeclaration(""));
        assertEquals(BundleCompatibility.MAJOR, BundleCompatibility.fromDeclaration("major"));
        assertThrows(IllegalArgumentException.class, () -> BundleCompatibility.fromDeclaration("MAJOR"));
    }

    @Test
    void whatIsReadFromTheWireFallsBackToExact() {
        assertEquals(BundleCompatibility.MAJOR, BundleCompatibility.fromWire("major"));
        assertEquals(BundleCompatibility.EXACT, BundleCompatibility.fromWire(null));
        assertEquals(BundleCompatibility.EXACT, BundleCompatibility.fromWire("minor"));
    }

    @Test
    void jsonShowsTheDeclaredName() {
        assertEquals("\"major\"", Json.MAPPER.valueToTree(BundleCompatibility.MAJOR).toString());
    }
}
