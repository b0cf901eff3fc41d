package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jaglets.api.Message;
import jaglets.http.HostClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent reaches an agent on another host through a proxy reference. */
class RemoteProxyTest {
    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    @Test
    void agentSendsToAnAgentOnAnotherHost() {
        try (HostProcess a = HostProcess.start(homeA, "remote-a"); HostProcess b = HostProcess.start(homeB, "remote-b")) {
            HostClient client = HostClient.create();
            HostProcess.awaitCondition(() -> client.health(a.url()).name() != null && client.health(b.url()).name() != null,
                    Duration.ofSeconds(30), "both HTTP APIs");
            client.create(b.url(), "jaglets.examples.EchoJaglet", null, "far", null, null);
            var near = client.create(a.url(), "jaglets.examples.EchoJaglet", null, "near", null, null);
            assertEquals("pong", near.send(Message.of("forward").withArg("to", "far").withArg("kind", "ping")
                    .withArg("host", b.url())));
            assertEquals(1L, near.send(Message.of("forward").withArg("to", "far").withArg("kind", "incr")
                    .withArg("host", b.url())));
            assertEquals(1L, client.proxy(b.url(), "far").send(Message.of("count")));
        }
    }
}
