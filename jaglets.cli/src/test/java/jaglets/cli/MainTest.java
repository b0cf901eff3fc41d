package jaglets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What the client prints and how it exits, for everything that needs no host. */
class MainTest {
    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryCommandInOrder() {
        Run help = run("--help");
        assertEquals(0, help.status(), help.err());
        String out = help.out();
        int last = -1;
        for (String command : new String[] {"host", "health", "agents", "create", "send", "deactivate", "activate",
                "dispose", "state", "events", "bundles", "deploy", "uninstall", "completion", "help"}) {
            int at = out.indexOf("\n  " + command + " ");
            assertTrue(at > last, command + " listed in order in:\n" + out);
            last = at;
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"host", "health", "agents", "create", "send", "deactivate", "activate",
                "dispose", "state", "events", "bundles", "deploy", "uninstall", "completion"}) {
            Run help = run(command, "--help");
            assertEquals(0, help.status(), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: jaglets " + command), help.out());
        }
    }

    @Test
    void usageErrorsNameTheCommandAndExitWithTwo() {
        Run missing = run("send", "echo-1");
        assertEquals(2, missing.status());
        assertTrue(missing.err().startsWith("jaglets send: BadRequestError: Missing required parameter: 'KIND'"),
                missing.err());
        Run unknown = run("agents", "--colour");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("jaglets agents: BadRequestError: Unknown option: '--colour'"), unknown.err());
        Run notANumber = run("send", "-p", "high", "echo-1", "ping");
        assertEquals(2, notANumber.status());
        assertTrue(notANumber.err().startsWith("jaglets send: BadRequestError: "), notANumber.err());
    }

    @Test
    void badInputIsCaughtBeforeAnyHostIsAsked() {
        Run badJson = run("send", "--host", "http://127.0.0.1:1", "--args", "{oops", "echo-1", "ping");
        assertEquals(2, badJson.status());
        assertTrue(badJson.err().startsWith("jaglets send: BadRequestError: not valid JSON"), badJson.err());
        Run which = run("agents", "--host", "http://127.0.0.1:1", "--state", "sleeping");
        assertTrue(which.err().startsWith("jaglets agents: BadRequestError: which agents: active, inactive or all"),
                which.err());
    }

    @Test
    void aHostNameUnknownToTheLocalHostsMeshIsAClearError() {
        Run byName = run("health", "--entry", "alpha");
        assertEquals(2, byName.status());
        assertTrue(byName.err().startsWith("jaglets health: BadRequestError: cannot find a host named 'alpha'"),
                byName.err());
        assertTrue(byName.err().contains("mesh"), byName.err());
    }

    @Test
    void completionIsABashScriptForEveryCommand() {
        Run completion = run("completion");
        assertEquals(0, completion.status(), completion.err());
        assertTrue(completion.out().contains("complete -F"), completion.out());
        assertTrue(completion.out().contains("deactivate") && completion.out().contains("--no-activate-on-message"));
    }

    @Test
    void noCommandPrintsTheUsage() {
        Run none = run();
        assertEquals(0, none.status());
        assertTrue(none.out().startsWith("Usage: jaglets"), none.out());
    }
}
