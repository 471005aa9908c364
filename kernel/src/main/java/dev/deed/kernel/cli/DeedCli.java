package dev.deed.kernel.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code deed}: the top-level command. {@code ./deed test} and {@code ./deed bench} are the launcher's own. */
@Command(name = "deed", mixinStandardHelpOptions = true, versionProvider = DeedCli.Version.class,
        description = "Deed: a microkernel skeleton whose kernel resources are ownership handles.",
        subcommands = {WorkloadCommands.Demo.class, WorkloadCommands.Boot.class, WorkloadCommands.Proc.class,
                SoakCommand.class, BugsCommand.class, MmuImageCommand.class, VizCommand.class, CommandLine.HelpCommand.class,
                AutoComplete.GenerateCompletion.class},
        footer = {"", "The launcher also runs:", "  ./deed test    build and run the tests (mvn verify on JDK 25); ./deed test --help",
                "  ./deed bench   build and run the JMH benchmarks; ./deed bench --help",
                "  ./deed shell   jshell with Deed on the module path and a booted kernel",
                "Bash completion: source <(./deed generate-completion)"})
@SuppressWarnings("initialization.field.uninitialized") // picocli injects @Option and @Spec fields before run()
public final class DeedCli implements Runnable {
    /** Exit code for bad arguments or bad input files. */
    public static final int USAGE = 2;
    /** Exit code for an error inside a run. */
    public static final int FAILURE = 1;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(DeedCli.out(spec));
    }

    /** A command's standard output: picocli owns the writer (and closes nothing of ours); commands only print to it. */
    @SuppressWarnings("required.method.not.called") // the writer is picocli's; this is a view of it
    static @NotOwning PrintWriter out(CommandLine.Model.CommandSpec spec) {
        return spec.commandLine().getOut();
    }

    /** A command's standard error, as {@link #out}. */
    @SuppressWarnings("required.method.not.called") // the writer is picocli's; this is a view of it
    static @NotOwning PrintWriter err(CommandLine.Model.CommandSpec spec) {
        return spec.commandLine().getErr();
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(AsciiFallback.wrap(new OutputStreamWriter(System.out, System.out.charset()),
                System.out.charset()), true);
        PrintWriter err = new PrintWriter(AsciiFallback.wrap(new OutputStreamWriter(System.err, System.err.charset()),
                System.err.charset()), true);
        System.exit(run(args, out, err));
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new DeedCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setUsageHelpAutoWidth(true); // help fits the terminal
        CommandLine completion = cli.getSubcommands().get("generate-completion");
        if (completion != null) {
            completion.getCommandSpec().usageMessage().hidden(false); // picocli hides it; users should see it
        }
        cli.setParameterExceptionHandler((e, argv) -> {
            err.println("deed: " + oneLine(String.valueOf(e.getMessage())) + commandsHint(e));
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            boolean debug = Arrays.asList(args).contains("--debug");
            if (e instanceof UsageFailure) {
                err.println(oneLine(String.valueOf(e.getMessage())));
            } else {
                String message = e.getMessage();
                err.println("deed: " + oneLine(message == null ? e.toString() : message));
            }
            if (debug) {
                e.printStackTrace(err);
            }
            return e instanceof UsageFailure ? USAGE : FAILURE;
        });
        return cli.execute(args);
    }

    private static String oneLine(String message) {
        return Arrays.stream(message.strip().split("\\R")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.joining("; "));
    }

    /** For a mistyped option or command: what was probably meant, else (at the top) the list of commands. */
    private static String commandsHint(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u)) {
            return "";
        }
        List<String> suggestions = u.getSuggestions();
        boolean option = !u.getUnmatched().isEmpty() && u.getUnmatched().get(0).startsWith("-");
        if (option && !suggestions.isEmpty()) {
            return "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) + "?";
        }
        if (u.getCommandLine().getParent() == null) {
            List<String> commands = new java.util.ArrayList<>(u.getCommandLine().getSubcommands().keySet());
            commands.addAll(List.of("test", "bench", "shell"));
            String typed = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
            List<String> close = commands.stream().filter(c -> editDistance(c, typed) <= 2).toList();
            return close.isEmpty() ? "; commands: " + String.join(", ", commands) : "; did you mean " + String.join(" or ", close) + "?";
        }
        return "";
    }

    /** Levenshtein distance: how many single-character edits turn {@code a} into {@code b}. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** A failure caused by bad input (exit code 2), whose message is printed as it is. */
    static final class UsageFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageFailure(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DeedCli.class.getModule().getDescriptor() == null ? null
                    : DeedCli.class.getModule().getDescriptor().rawVersion().orElse(null);
            return new String[] {"deed " + (version == null ? "(development build)" : version),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
