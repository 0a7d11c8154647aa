package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The convolution guard's canary runs at the first convolution block, not at engine start and not
 * for a model without convolutions: checked in a child JVM ({@link LazyCanaryProbe}), since the
 * guard decides once per process and this test JVM has long decided it.
 */
class LazyCanaryTest {

    @Test
    void anMlpTrainsWithoutTheCanaryAndTheFirstConvBlockRunsIt() throws Exception {
        String out = probe();
        assertTrue(out.contains("start decided=false"), out);
        assertTrue(out.contains("convGuard=not decided yet"), out); // EngineInfo's line says so too
        assertTrue(out.contains("mlp-fit decided=false"), out);
        assertTrue(out.contains("conv-block decided=true"), out);
        // the automatic decision (the canary), not an override from the environment
        assertTrue(out.lines().anyMatch(l -> l.startsWith("mode ") && l.endsWith(" auto")), out);
    }

    private static String probe() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), LazyCanaryProbe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove(ConvGuard.ENV);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
