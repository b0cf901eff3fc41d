package jaglets.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints picocli's bash completion script for every command and option of {@code jaglets}. */
@Command(name = "completion", description = {"Prints a bash completion script for jaglets.",
        "With jaglets on your PATH: source <(jaglets completion)"})
final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("jaglets", spec.parent().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
