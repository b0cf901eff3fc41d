package jaglets.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jaglets} itself: without a command it prints its usage. {@link Main} adds the commands. */
@Command(name = "jaglets",
        description = "Starts a jaglets host, and talks to any host through its HTTP API.",
        footerHeading = "%n",
        footer = {"Client commands talk to --host URL (default " + Entry.DEFAULT_URL + ") with the API key"
                + " held in " + Entry.DEFAULT_KEY_VARIABLE + " (or the variable named by --api-key-env).",
                "Errors are printed as 'jaglets COMMAND: ErrorType: message' on standard error.",
                "The ./jaglets launcher also runs: test (build and run every test), bench (the benchmarks)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "2:an error (the host's, the network's or the command line's)",
                "*:jaglets host: the host's own exit status"})
final class JagletsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
