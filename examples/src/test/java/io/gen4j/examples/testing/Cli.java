package io.gen4j.examples.testing;

import io.gen4j.examples.cli.Gen4jCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the gen4j command line in the test's process and captures what it prints. */
public final class Cli {

    private Cli() {}

    /**
     * @param args the command line
     * @return the exit code (as a string), stdout and stderr
     */
    public static String[] run(String... args) {
        CommandLine cli = Gen4jCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
