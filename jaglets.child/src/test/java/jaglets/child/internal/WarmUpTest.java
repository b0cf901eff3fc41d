package jaglets.child.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The warm-up drives the real child runtime over an in-process link, and leaves nothing behind. */
@Timeout(30)
class WarmUpTest {

    @Test
    void everyStepGoesThroughTheChildRuntime() {
        assertTrue(WarmUp.run(), "every step of the three lives (created, arrived, cloned) answered");
    }

    @Test
    void lambdasAreGeneratedForAClassOfAnotherLoader() {
        assertTrue(WarmUp.spinLambdas(), "LambdaSpin loaded by a loader of its own, its lambdas created and run");
        assertTrue(WarmUp.spinLambdas(), "again, with a fresh loader");
    }

    @Test
    void runsAgainWithoutLeavingReaderThreads() throws InterruptedException {
        WarmUp.run();
        assertTrue(WarmUp.run());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (readerThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(readerThreads() == 0, "the warm-up's channel threads end once it is done");
    }

    private static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("jaglets-rpc-"))
                .count();
    }
}
