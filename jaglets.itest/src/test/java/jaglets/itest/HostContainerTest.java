package jaglets.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import jaglets.api.AgentSummary;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.Host;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

/**
 * The jaglets bundles in a real Felix framework: the DS wiring, the exported packages, the host
 * service (with real child JVMs) and the Gogo commands.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostContainerTest {

    @Inject
    private Host host;

    @Inject
    private CommandProcessor commands;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        String reactor = System.getProperty("jaglets.reactor");
        String version = System.getProperty("jaglets.version");
        String jackson = System.getProperty("jackson.version");
        Path home = Files.createTempDirectory("jaglets-exam");
        return options(
                junitBundles(),
                systemProperty("jaglets.home").value(home.toString()),
                systemProperty("jaglets.name").value("exam"),
                systemProperty("jaglets.pool.size").value("1"),
                systemProperty("org.ops4j.pax.url.mvn.localRepository")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository")),
                // slf4j 2 asks for a service-loader extender; logging is not under test here
                frameworkProperty("org.osgi.framework.system.capabilities.extra").value(
                        "osgi.extender;osgi.extender=osgi.serviceloader.processor;version:Version=1.0,"
                                + "osgi.serviceloader;osgi.serviceloader=org.slf4j.spi.SLF4JServiceProvider"),
                mavenBundle("org.slf4j", "slf4j-api", "2.0.17"),
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations", "2.22"),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core", jackson),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind", jackson),
                mavenBundle("com.fasterxml.jackson.datatype", "jackson-datatype-jsr310", jackson),
                mavenBundle("com.fasterxml.jackson.dataformat", "jackson-dataformat-smile", jackson),
                mavenBundle("org.osgi", "org.osgi.util.function", "1.2.0"),
                mavenBundle("org.osgi", "org.osgi.util.promise", "1.3.0"),
                mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1"),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", "2.2.18"),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", "1.1.6"),
                bundle(jar(reactor, "jaglets.api", version)),
                bundle(jar(reactor, "jaglets.protocol", version)),
                bundle(jar(reactor, "jaglets.runtime", version)),
                bundle(jar(reactor, "jaglets.shell", version)),
                bundle(jar(reactor, "jaglets.examples", version)));
    }

    private static String jar(String reactor, String module, String version) {
        return Path.of(reactor, module, "target", module + "-" + version + ".jar").toUri().toString();
    }

    @Test
    public void everyJagletsComponentIsWired() {
        List<ComponentConfigurationDTO> configurations = scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.name.startsWith("jaglets."))
                .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                .collect(Collectors.toList());
        assertEquals(2, configurations.size());
        for (ComponentConfigurationDTO configuration : configurations) {
            // the host is immediate (ACTIVE); the commands are delayed until first used (SATISFIED)
            assertTrue(configuration.description.name + " is in state " + configuration.state,
                    configuration.state == ComponentConfigurationDTO.ACTIVE
                            || configuration.state == ComponentConfigurationDTO.SATISFIED);
        }
    }

    @Test
    public void runtimeBundleExportsOnlyItsApiPackage() {
        Bundle runtime = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "jaglets.runtime".equals(b.getSymbolicName())).findFirst().orElseThrow();
        List<String> exported = runtime.adapt(BundleRevision.class).getDeclaredCapabilities("osgi.wiring.package")
                .stream().map(BundleCapability::getAttributes).map(a -> (String) a.get("osgi.wiring.package"))
                .collect(Collectors.toList());
        assertEquals(List.of("jaglets.runtime"), exported);
    }

    @Test
    public void hostServiceRunsAgentsInChildJvms() {
        AgentSummary created = host.create(CreateRequest.of("jaglets.examples.EchoJaglet"));
        assertNotNull(created.pid());
        assertTrue(created.pid() != ProcessHandle.current().pid());
        assertEquals("pong", host.call(created.agentId(), Message.of("ping"), SendOptions.DEFAULT));
        assertEquals(1L, host.call(created.agentId(), Message.of("incr"), SendOptions.DEFAULT));
        host.dispose(created.agentId());
    }

    @Test
    public void gogoCommandsDriveTheHost() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out), new PrintStream(out))) {
            assertEquals("created shell-1", session.execute("jaglets:create -i shell-1 jaglets.examples.EchoJaglet"));
            assertEquals("1", session.execute("jaglets:send shell-1 incr"));
            assertEquals("deactivated shell-1", session.execute("jaglets:deactivate shell-1"));
            String listing = (String) session.execute("jaglets:agents -s inactive");
            assertTrue(listing, listing.contains("shell-1") && listing.contains("inactive"));
            assertEquals("2", session.execute("jaglets:send shell-1 incr"));
            assertTrue(((String) session.execute("jaglets:health")).startsWith("host exam"));
            assertEquals("disposed shell-1", session.execute("jaglets:dispose shell-1"));
        }
    }
}
