package jaglets.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run that records the client's class-data archive: {@code ./jaglets} runs it once after
 * every build, with {@code -XX:ArchiveClassesAtExit}, and later client runs start from the
 * archive instead of loading and verifying the same few thousand classes each time. It runs the
 * commands people run most against a stand-in host on a loopback port, so the archive holds what
 * they load: the HTTP client, Jackson reading a host's answers, the tables that print them.
 * Exits with 0 when every command worked.
 */
public final class Training {
    private static final String SUMMARY = "{\"agent_id\":\"echo-1\",\"class_name\":\"jaglets.examples.EchoJaglet\","
            + "\"state_class_name\":null,\"bundle_symbolic_name\":\"jaglets.examples\",\"bundle_version\":\"1.0.0\","
            + "\"host\":\"training\",\"address\":\"http://127.0.0.1:1\",\"active\":true,\"pid\":1,\"crashed\":false,"
            + "\"exitcode\":null,\"error\":null,\"mailbox\":{\"queued_count\":0,\"in_flight_count\":0,"
            + "\"delivered_count\":1,\"failed_count\":0},\"resources\":{}}";
    /** What the stand-in host answers, by path. */
    private static final Map<String, String> ANSWERS = Map.of(
            "/health", "{\"name\":\"training\",\"address\":\"http://127.0.0.1:1\",\"active_count\":1,\"inactive_count\":0,"
                    + "\"crashed_count\":0,\"pooled_children\":2,\"child_archive\":true,\"data_dir\":\"/tmp\"}",
            "/agents", "{\"agents\":[" + SUMMARY + "],\"total\":1}",
            "/agents/echo-1/state", SUMMARY.replace("}}", "},\"state\":{\"count\":1},\"consistent\":true}"),
            "/agents/echo-1/messages", "{\"result\":\"pong\"}",
            "/events", "{\"events\":[{\"event_id\":1,\"kind\":\"create\",\"host_name\":\"training\",\"host_address\":"
                    + "\"http://127.0.0.1:1\",\"timestamp\":1.5e9,\"agent_id\":\"echo-1\",\"class_name\":null,"
                    + "\"message_id\":null,\"service_name\":null,\"data\":{\"bundle\":\"jaglets.examples 1.0.0\"},\"error\":null}]}",
            "/bundles", "{\"bundles\":[{\"symbolic_name\":\"jaglets.examples\",\"version\":\"1.0.0\",\"classes\":"
                    + "[\"jaglets.examples.EchoJaglet\"],\"sha256\":\"00\",\"deployed\":true,\"agent_count\":1}]}");

    private Training() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        host.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String answer = ANSWERS.getOrDefault(exchange.getRequestURI().getPath(),
                    "{\"error_type\":\"NotFoundError\",\"error\":\"no route\"}");
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.contains("error_type") ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        host.start();
        String url = "http://127.0.0.1:" + host.getAddress().getPort();
        int failures = 0;
        try {
            for (String[] command : new String[][] {{"health"}, {"health", "--json"}, {"agents"}, {"agents", "-j"},
                    {"state", "echo-1"}, {"send", "echo-1", "ping", "-a", "{\"n\": 1}"}, {"events"}, {"bundles"},
                    {"dispose", "nobody"}}) {
                StringWriter sink = new StringWriter();
                String[] withHost = Stream.concat(Arrays.stream(command), Stream.of("--host", url)).toArray(String[]::new);
                int status = Main.run(withHost, new PrintWriter(sink), new PrintWriter(sink));
                boolean expected = command[0].equals("dispose") ? status == Main.EXIT_ERROR : status == Main.EXIT_OK;
                if (!expected) {
                    System.err.println("training: jaglets " + String.join(" ", command) + " -> " + status + ": " + sink);
                    failures++;
                }
            }
        } finally {
            host.stop(0);
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
