package io.gen4j.examples.cli;

import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.data.DatasetNotFoundException;
import io.gen4j.core.io.CorruptCheckpointException;
import io.gen4j.core.io.CorruptFileException;
import io.gen4j.core.runtime.StopRequestedException;
import io.gen4j.core.runtime.StopSignal;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The gen4j command line: {@code doctor}, {@code quickstart}, {@code sample}, {@code topic}, {@code
 * eval}, {@code bench-ddpm}.
 *
 * <p>Run it with the launcher script at the repository root, {@code ./gen4j doctor} (see {@link
 * Launcher}), which builds and runs {@code java -jar examples/target/gen4j-examples-*-cli.jar}; or
 * {@code mvn -pl examples -am test-compile exec:java -Dexec.args="doctor"}.
 *
 * <p>Exit codes: {@value #OK} success; {@value #USAGE} a user error, printed as one line on stderr
 * naming the option or file: a bad option value, or an input file that is missing, damaged or of
 * the wrong kind; {@value #FAILURE} anything else (the message, and with {@code --verbose} the
 * stack trace); 130 (Ctrl-C) or 143 (SIGTERM) when the process was asked to stop: {@link #main}
 * installs {@link StopSignal}'s shutdown hook, so the work stops at its next safe point first (a
 * training after the step in flight, with a checkpoint, and the message names the command that
 * continues the run), waiting at most {@code GEN4J_STOP_GRACE} seconds (default 30).
 */
@Command(
        name = "gen4j",
        mixinStandardHelpOptions = true,
        versionProvider = Gen4jCli.Version.class,
        description = "Generative deep-learning models for the JVM on DJL.",
        subcommands = {
            DoctorCommand.class,
            io.gen4j.examples.topics.ddpm.QuickstartCommand.class,
            SampleCommand.class,
            TopicCommand.class,
            EvalCommand.class,
            io.gen4j.examples.topics.ddpm.DdpmBenchmarkCommand.class,
            io.gen4j.examples.topics.GanBenchmarkCommand.class,
            io.gen4j.examples.topics.CompareCommand.class,
            io.gen4j.examples.bench.BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Gen4jCli {

    /** Exit code of a successful command. */
    public static final int OK = 0;
    /** Exit code of a failure that is not the user's input (a bug, the machine). */
    public static final int FAILURE = 1;
    /** Exit code of a user error: a bad option value or a missing, damaged or wrong input file. */
    public static final int USAGE = 2;
    /**
     * Exit code of a command stopped at a safe point on request (as a shell reports Ctrl-C); after a signal the
     * process's status is the signal's: 130 for SIGINT, 143 for SIGTERM.
     */
    public static final int STOPPED = 130;

    private static volatile Terminal terminal = Terminal.system();

    private Gen4jCli() {}

    /** @return where commands ask the user a question: the JVM's console (tests put another) */
    static Terminal terminal() {
        return terminal;
    }

    /**
     * @param t where commands ask from now on
     * @return the one it replaces
     */
    static Terminal useTerminal(Terminal t) {
        Terminal old = terminal;
        terminal = java.util.Objects.requireNonNull(t, "terminal");
        return old;
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code;
        Duration grace;
        try {
            grace = StopSignal.gracePeriod();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(USAGE);
            return;
        }
        // Ctrl-C and SIGTERM: the work stops at its next safe point (a training writes a checkpoint) before the JVM
        // ends, so that libtorch is not torn down under a running operation
        try (StopSignal.Hook hook = StopSignal.installShutdownHook(grace, System.err)) {
            code = commandLine().execute(args);
        }
        System.exit(code);
    }

    /** @return the configured command line (tests call {@code execute} on it) */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Gen4jCli());
        cli.setParameterExceptionHandler(Gen4jCli::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                failure(e, commandLine, parseResult.originalArgs().contains("--verbose")));
        return cli;
    }

    /** A bad command line: one line naming the option, and where the help is; exit {@value #USAGE}. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText(e.getMessage()));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("'" + Launcher.command(commandPath(cmd).split(" ")) + " --help' lists the options");
        }
        err.flush();
        return USAGE;
    }

    private static String commandPath(CommandLine cmd) {
        String path = cmd.getCommandSpec().qualifiedName(" ");
        return path.startsWith("gen4j ") ? path.substring(6) : path.equals("gen4j") ? "" : path;
    }

    /**
     * An exception out of a command: one line, the stack trace only with {@code --verbose}.
     *
     * @param e the exception
     * @param cmd the command that threw it
     * @param verbose whether to print the stack trace
     * @return {@value #USAGE} for a user error ({@link #isUserError}), else {@value #FAILURE}
     */
    static int failure(Exception e, CommandLine cmd, boolean verbose) {
        PrintWriter err = cmd.getErr();
        if (e instanceof StopRequestedException) {
            err.println("stopped: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return STOPPED;
        }
        boolean user = isUserError(e);
        err.println((user ? "" : "error: ") + message(e));
        if (verbose) {
            e.printStackTrace(err);
        } else if (!user) {
            err.println("(--verbose shows where)");
        }
        err.flush();
        return user ? USAGE : FAILURE;
    }

    /**
     * @param e an exception out of a command
     * @return whether it is the user's to fix: a bad value ({@link IllegalArgumentException}), a
     *     file that is missing, unreadable, damaged or of the wrong kind
     */
    static boolean isUserError(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException
                || e instanceof DatasetFormatException || e instanceof DatasetNotFoundException
                || e instanceof CorruptCheckpointException || e instanceof CorruptFileException
                || e instanceof FileSystemException;
    }

    private static String message(Throwable e) {
        if (e instanceof FileSystemException fs) {
            String kind = fs.getReason() != null ? fs.getReason() : switch (fs.getClass().getSimpleName()) {
                case "NoSuchFileException" -> "no such file or directory";
                case "AccessDeniedException" -> "permission denied";
                case "FileAlreadyExistsException" -> "already exists";
                case "NotDirectoryException" -> "not a directory";
                case "DirectoryNotEmptyException" -> "directory not empty";
                default -> fs.getClass().getSimpleName();
            };
            return fs.getFile() + ": " + kind + (fs.getOtherFile() == null ? "" : " (" + fs.getOtherFile() + ")");
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Reports the project version, filled in by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gen4j " + version()};
        }
    }

    /** @return the project version (e.g. {@code 0.1.0-SNAPSHOT}), filled in by the build */
    public static String version() {
        try (InputStream in = Gen4jCli.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = Gen4jCli.class.getPackage().getImplementationVersion();
        return v == null ? "(unknown version: built without Maven's resource filtering)" : v;
    }
}
