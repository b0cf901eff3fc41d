package jaglets.cli;

import jaglets.http.HostClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to one host: it makes its {@link HostClient} call and returns the text to
 * print, formatted by {@link jaglets.shell.Tables} as the Gogo commands format it. Errors are
 * thrown and printed by {@link Main}.
 */
abstract class ClientCommand implements Callable<Integer> {
    static final String JSON = "Print JSON instead of text.";

    @Mixin
    Entry entry;

    @Spec
    CommandSpec spec;

    /** Makes the call and returns what to print. */
    abstract String answer(HostClient client, String hostUrl);

    @Override
    public final Integer call() {
        String text = answer(entry.client(), entry.url());
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            out.println();
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
