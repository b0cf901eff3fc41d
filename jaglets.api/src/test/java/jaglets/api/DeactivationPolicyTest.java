package jaglets.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeactivationPolicyTest {

    @Test
    void afterIsTheDefaultPolicyWithATimerDelayFromNow() {
        Instant before = Instant.now();
        DeactivationPolicy policy = DeactivationPolicy.after(Duration.ofMinutes(5));
        Instant after = Instant.now();

        assertFalse(policy.activateAt().isBefore(before.plus(Duration.ofMinutes(5))), String.valueOf(policy.activateAt()));
        assertFalse(policy.activateAt().isAfter(after.plus(Duration.ofMinutes(5))), String.valueOf(policy.activateAt()));
        assertEquals(DeactivationPolicy.DEFAULT, policy.withActivateAt(null));
    }

    @Test
    void defaultActivatesOnMessageQueuesOtherwiseAndHasNoTimer() {
        DeactivationPolicy policy = DeactivationPolicy.DEFAULT;
        assertTrue(policy.activateOnMessage());
        assertTrue(policy.queueMessagesWhenInactive());
        assertFalse(policy.activateOnStartup());
        assertNull(policy.activateAt());
    }

    @Test
    void withersChangeOnlyTheirField() {
        DeactivationPolicy policy = DeactivationPolicy.DEFAULT.withActivateOnStartup(true)
                .withActivateOnMessage(false).withQueueMessagesWhenInactive(false);
        assertEquals(new DeactivationPolicy(false, false, true, null), policy);
    }

    @Test
    void requestWithoutReasonOrSourceIsAnExternalDeactivate() {
        DeactivationRequest request = new DeactivationRequest(" ", null, null, null);
        assertEquals(DeactivationRequest.REASON_DEACTIVATE, request.reason());
        assertEquals("external", request.source());
        assertTrue(request.metadata().isEmpty());
        assertEquals("self", DeactivationRequest.self("tired", null).source());
    }
}
