package jaglets.cli;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.http.HostClient;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The entry point of the {@code jaglets} terminal client. Exit status 0 on success; every error,
 * whether the host's, the network's or the command line's, is one line
 * {@code jaglets COMMAND: ErrorType: message} on standard error (sometimes followed by a hint) and
 * exit status 2.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_ERROR = 2;

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err));
    }

    /** Runs one command line and returns its exit status. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(args.length == 0 ? null : args[0], out, err).execute(args);
    }

    /** Every command, in the order the usage lists them: the host, its agents, its bundles, the helpers. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("host", HostCommand::new);
        commands.put("health", HostInfoCommands.Health::new);
        commands.put("agents", AgentCommands.Agents::new);
        commands.put("create", AgentCommands.Create::new);
        commands.put("send", AgentCommands.Send::new);
        commands.put("deactivate", AgentCommands.Deactivate::new);
        commands.put("activate", AgentCommands.Activate::new);
        commands.put("dispose", AgentCommands.Dispose::new);
        commands.put("state", AgentCommands.State::new);
        commands.put("dispatch", MoveCommands.Dispatch::new);
        commands.put("clone", MoveCommands.Clone::new);
        commands.put("retract", MoveCommands.Retract::new);
        commands.put("events", HostInfoCommands.Events::new);
        commands.put("bundles", HostInfoCommands.Bundles::new);
        commands.put("deploy", HostInfoCommands.Deploy::new);
        commands.put("uninstall", HostInfoCommands.Uninstall::new);
        commands.put("completion", CompletionCommand::new);
        commands.put("help", CommandLine.HelpCommand::new);
        return commands;
    }

    /**
     * The command line for a run whose first argument is {@code first}. Building picocli's model
     * of a command costs start-up time, so a run of one client command builds that command only;
     * usage, help, completion and mistakes get them all.
     */
    static CommandLine commandLine(String first, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new JagletsCommand());
        boolean justOne = first != null && COMMANDS.containsKey(first) && !first.equals("help") && !first.equals("completion");
        COMMANDS.forEach((name, command) -> {
            if (!justOne || name.equals(first)) {
                cli.addSubcommand(name, command.get());
            }
        });
        addHelpOption(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((error, command, parsed) -> error(command, error));
        cli.setParameterExceptionHandler(Main::usageError);
        return cli;
    }

    /** {@code -h}/{@code --help} on every command (picocli's standard mixin would also claim {@code --version}). */
    private static void addHelpOption(CommandLine command) {
        if (command.getCommandSpec().optionsMap().get("--help") == null) {
            command.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help.").build());
        }
        command.getSubcommands().values().forEach(Main::addHelpOption);
    }

    private static int error(CommandLine command, Throwable error) {
        Throwable cause = error instanceof CommandLine.ExecutionException && error.getCause() != null
                ? error.getCause() : error;
        JagletException e = HostClient.asJagletException(cause);
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + e.type().wireName() + ": " + e.getMessage());
        String hint = hint(e);
        if (hint != null) {
            err.println("hint: " + hint);
        }
        err.flush();
        return EXIT_ERROR;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + ErrorType.BAD_REQUEST.wireName() + ": " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("hint: '" + name + " --help' lists what it takes");
        err.flush();
        return EXIT_ERROR;
    }

    /** What the user can do about the errors they are most likely to meet first. */
    static String hint(JagletException e) {
        return switch (e.type()) {
            case REMOTE_HOST -> e.getMessage().startsWith("could not reach")
                    ? "is a host running there? Start one with 'jaglets host', or name another with --host URL" : null;
            case AUTHENTICATION -> "the host wants its API key: put it in " + Entry.DEFAULT_KEY_VARIABLE
                    + ", or name the variable that holds it with --api-key-env NAME";
            default -> null;
        };
    }
}
