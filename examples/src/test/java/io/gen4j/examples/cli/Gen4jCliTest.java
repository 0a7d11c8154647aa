package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class Gen4jCliTest {

    private static String[] run(String... args) {
        CommandLine cli = Gen4jCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void doctorReportsEngineDeviceAndGuard() {
        String[] r = run("doctor");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("engine      PyTorch 2.7.1"), r[1]);
        assertTrue(r[1].contains("conv guard"), r[1]);
        assertTrue(r[1].contains("conv check  correct"), r[1]);
        assertTrue(r[1].contains("device"), r[1]);
        assertTrue(r[1].contains("FASHION_MNIST"), r[1]);
    }

    @Test
    void badOptionValuesAreNamed() {
        String[] r = run("topic", "no-such-topic");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("no-such-topic"), r[2]);
    }

    @Test
    void helpListsTheCommands() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("doctor") && r[1].contains("topic"), r[1]);
    }
}
