package jaglets.bench.runner;

import jaglets.runtime.Host;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * When the framework property {@code jaglets.bench.run} names scenarios, runs them against the
 * {@link Host} on a thread of its own, writes the figures to {@code jaglets.bench.out} and stops
 * the framework, so that the process exits. Without it the bundle does nothing.
 */
@Component(immediate = true)
public final class BenchComponent {

    @Reference
    private Host host;

    private Thread worker;

    @Activate
    void activate(BundleContext context) {
        String run = context.getProperty(BenchSettings.RUN);
        if (run == null || run.isBlank()) {
            return;
        }
        worker = new Thread(() -> runThenStop(context), "jaglets-bench");
        worker.start();
    }

    @Deactivate
    void deactivate() {
        if (worker != null && worker != Thread.currentThread()) {
            worker.interrupt();
        }
    }

    private void runThenStop(BundleContext context) {
        try {
            BenchSettings settings;
            try {
                settings = BenchSettings.from(context::getProperty);
            } catch (IllegalArgumentException e) {
                Progress.say("benchmark not run: " + e.getMessage());
                return;
            }
            Map<String, Object> result;
            try {
                result = new BenchRun(new BenchHost(host, settings.poolSize()), settings).run();
            } catch (RuntimeException e) {
                result = new LinkedHashMap<>();
                result.put("ok", false);
                result.put("errors", List.of(Map.of("scenario", "(all)", "error", String.valueOf(e))));
            }
            try {
                BenchRun.write(settings.out(), result);
            } catch (IOException e) {
                Progress.say("could not write " + settings.out() + ": " + e);
            }
        } finally {
            stopFramework(context);
        }
    }

    private static void stopFramework(BundleContext context) {
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            Progress.say("could not stop the framework: " + e);
        }
    }
}
