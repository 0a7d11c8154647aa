package io.gen4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The gen4j command line: {@code doctor}, {@code quickstart}, {@code sample}, {@code topic}, {@code
 * eval}, {@code bench-ddpm}.
 *
 * <p>Run it with {@code mvn -pl examples exec:java -Dexec.args="doctor"} or {@code java -jar
 * gen4j-examples-*-cli.jar doctor}.
 */
@Command(
        name = "gen4j",
        mixinStandardHelpOptions = true,
        versionProvider = Gen4jCli.Version.class,
        description = "Generative deep-learning models for the JVM on DJL.",
        subcommands = {
            DoctorCommand.class,
            io.gen4j.examples.topics.ddpm.QuickstartCommand.class,
            io.gen4j.examples.topics.ddpm.SampleCommand.class,
            TopicCommand.class,
            io.gen4j.examples.topics.ddpm.DdpmBenchmarkCommand.class,
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
