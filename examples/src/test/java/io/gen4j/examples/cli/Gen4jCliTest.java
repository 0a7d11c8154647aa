package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Gen4jCliTest {

    private static String[] run(String... args) {
        return io.gen4j.examples.testing.Cli.run(args);
    }

    @Test
    void doctorReportsEngineDeviceAndGuard() {
        String[] r = run("doctor");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("engine      PyTorch 2.7.1"), r[1]);
        assertTrue(r[1].contains("conv guard"), r[1]);
        // examples depends on gen-pytorch: its kernels, not the composed default
        assertTrue(r[1].contains("kernels     gen-pytorch (fused Adam/AdamW update"), r[1]);
        assertTrue(r[1].matches("(?s).*native log  (INFO|WARNING|ERROR|FATAL) .*"), r[1]);
        assertTrue(r[1].contains("conv check  correct"), r[1]);
        assertTrue(r[1].contains("device"), r[1]);
        assertTrue(r[1].contains("FASHION_MNIST"), r[1]);
    }

    @Test
    void doctorWithAutocastReportsBothCanaries() {
        try {
            String[] r = run("doctor", "--autocast", "bf16");
            assertEquals("0", r[0], r[1] + r[2]);
            // the float32 check runs inside its own gradient collectors: it must not start the bfloat16 canary
            assertTrue(r[1].contains("conv check  correct"), r[1]);
            assertTrue(r[1].matches("(?s).*bf16 conv   in (bfloat16|float32).*; requested: yes.*"), r[1]);
        } finally {
            System.clearProperty(io.gen4j.core.runtime.Autocast.PROPERTY);
        }
        String[] bad = run("doctor", "--autocast", "fp16");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("expected off or bf16, got 'fp16'"), bad[2]);
    }

    @Test
    void badOptionValuesAreNamed() {
        String[] r = run("topic", "no-such-topic");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("no-such-topic"), r[2]);
    }

    @Test
    void everyCommandTakesTheGlobalOptions() {
        for (String command : new String[] {"doctor", "quickstart", "sample", "topic", "eval", "bench-ddpm", "compare"}) {
            String[] r = run(command, "--help");
            assertEquals("0", r[0], command);
            for (String option : new String[] {"--device", "--threads", "--conv-guard", "--verbose"}) {
                assertTrue(r[1].contains(option), () -> command + " --help lacks " + option + ": " + r[1]);
            }
        }
    }

    @Test
    void helpListsTheCommands() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        for (String command : new String[] {"doctor", "quickstart", "sample", "topic", "eval", "bench-ddpm", "compare"}) {
            assertTrue(r[1].contains(command), () -> command + " missing from " + r[1]);
        }
    }

    @Test
    void sampleHelpNamesEverySamplerTheModelsOffer() {
        String[] r = run("sample", "--help");
        assertEquals("0", r[0]);
        String help = r[1].replaceAll("\\s+", " ");
        java.util.List<String> names = new java.util.ArrayList<>(io.gen4j.diffusion.DdpmSpec.SAMPLERS);
        names.addAll(io.gen4j.score.matching.NcsnModel.SAMPLERS);
        for (String name : names) {
            assertTrue(help.contains(" " + name), () -> "sample --help lacks sampler " + name + ": " + help);
        }
    }
}
