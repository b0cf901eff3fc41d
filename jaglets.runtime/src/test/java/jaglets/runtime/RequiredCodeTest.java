package jaglets.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.BundleCompatibility;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequiredCodeTest {
    private static final String NAME = "com.example.agents";
    private static final String AGENT = "com.example.Counter";

    private static AgentBundle bundle(String version) {
        return bundle(NAME, version, true, List.of(AGENT));
    }

    private static AgentBundle bundle(String name, String version, boolean deployed, List<String> classes) {
        return new AgentBundle(name, version, classes, "sha", BundleCompatibility.EXACT, deployed, 0);
    }

    private static RequiredCode major(String version) {
        return new RequiredCode(NAME, version, AGENT, BundleCompatibility.MAJOR);
    }

    private static Optional<String> chosenVersion(RequiredCode code, AgentBundle... installed) {
        return code.chooseFrom(List.of(installed)).map(AgentBundle::version);
    }

    @Test
    void theRecordedVersionIsPreferredOverANewerCompatibleOne() {
        assertEquals(Optional.of("1.0.0"), chosenVersion(major("1.0.0"), bundle("1.4.0"), bundle("1.0.0")));
    }

    @Test
    void underMajorTheNewestVersionWithTheSameMajorRuns() {
        assertEquals(Optional.of("1.10.0"), chosenVersion(major("1.0.0"),
                bundle("0.9.0"), bundle("1.2.0"), bundle("1.10.0"), bundle("1.4.0"), bundle("2.0.0")));
    }

    @Test
    void underMajorAnOlderVersionOfTheSameMajorRunsToo() {
        assertEquals(Optional.of("1.0.0"), chosenVersion(major("1.4.0"), bundle("1.0.0")));
    }

    @Test
    void anotherMajorVersionNeverStandsIn() {
        assertEquals(Optional.empty(), chosenVersion(major("1.0.0"), bundle("2.0.0"), bundle("0.1.0")));
    }

    @Test
    void exactAdmitsNoOtherVersionAndIsTheDefault() {
        RequiredCode exact = new RequiredCode(NAME, "1.0.0", AGENT, BundleCompatibility.EXACT);
        assertEquals(Optional.empty(), chosenVersion(exact, bundle("1.4.0")));
        RequiredCode undeclared = new RequiredCode(NAME, "1.0.0", AGENT, null);
        assertEquals(BundleCompatibility.EXACT, undeclared.compatibility());
        assertEquals(Optional.empty(), chosenVersion(undeclared, bundle("1.4.0")));
        assertEquals(Optional.of("1.0.0"), chosenVersion(exact, bundle("1.4.0"), bundle("1.0.0")));
    }

    @Test
    void theRecordedVersionRunsEvenWhenNoLongerDeployed() {
        AgentBundle withdrawn = bundle(NAME, "1.0.0", false, List.of(AGENT));
        assertEquals(Optional.of("1.0.0"), chosenVersion(major("1.0.0"), withdrawn, bundle("1.4.0")));
    }

    @Test
    void aStandInMustBeDeployedAndOfferTheAgentsClass() {
        AgentBundle withdrawn = bundle(NAME, "1.4.0", false, List.of(AGENT));
        AgentBundle otherClasses = bundle(NAME, "1.3.0", true, List.of("com.example.Other"));
        assertEquals(Optional.of("1.2.0"), chosenVersion(major("1.0.0"), withdrawn, otherClasses, bundle("1.2.0")));
        assertEquals(Optional.empty(), chosenVersion(major("1.0.0"), withdrawn, otherClasses));
    }

    @Test
    void otherBundlesAreNeverChosen() {
        AgentBundle other = bundle("com.example.other", "1.0.0", true, List.of(AGENT));
        assertEquals(Optional.empty(), chosenVersion(major("1.0.0"), other));
    }

    @Test
    void versionsCompareAsVersionsNotAsText() {
        assertEquals(Optional.of("1.0.0"), chosenVersion(major("1.0"), bundle("1.0.0"), bundle("1.5.0")));
        assertFalse(major("1.0").isSubstitutedBy("1.0.0"));
        assertTrue(major("1.0.0").isSubstitutedBy("1.4.0"));
    }

    @Test
    void theDescriptionNamesWhatWouldDo() {
        assertEquals(NAME + " 1.0.0", new RequiredCode(NAME, "1.0.0", AGENT, BundleCompatibility.EXACT).describe());
        assertEquals(NAME + " 1.0.0 (or a deployed 1.x version offering " + AGENT + ")", major("1.0.0").describe());
    }

    @Test
    void aRecordedVersionThatIsNoVersionIsABadRequest() {
        JagletException error = assertThrows(JagletException.class, () -> major("one.zero"));
        assertEquals(ErrorType.BAD_REQUEST, error.type());
        assertTrue(error.getMessage().contains("one.zero"), error.getMessage());
    }
}
