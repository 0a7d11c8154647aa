package io.gen4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The gen4j command line: {@code doctor}, {@code quickstart}, {@code sample}, {@code topic}, {@code
 * eval}, {@code bench-ddpm}.
 *
 * <p>Run it with the launcher script at the repository root, {@code ./gen4j doctor} (see {@link
 * Launcher}), which builds and runs {@code java -jar examples/target/gen4j-examples-*-cli.jar}; or
 * {@code mvn -pl examples -am test-compile exec:java -Dexec.args="doctor"}.
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
            CommandLine.HelpCommand.class
        })
public final class Gen4jCli {

    private Gen4jCli() {}

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /** @return the configured command line (tests call {@code execute} on it) */
    public static CommandLine commandLine() {
        return new CommandLine(new Gen4jCli());
    }

    /** Reports the project version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Gen4jCli.class.getPackage().getImplementationVersion();
            return new String[] {"gen4j " + (v == null ? "(development build)" : v)};
        }
    }
}
