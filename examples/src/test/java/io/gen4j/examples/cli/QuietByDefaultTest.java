package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.TinyMlpFamily;
import io.gen4j.core.model.DataSpec;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI with the logging configuration it ships (examples' main {@code simplelogger.properties},
 * not the tests' one): a normal run of a model without convolutions prints no log lines at all on
 * stderr (not even the convolution guard's verdict: its canary runs only at the first convolution),
 * and {@code --verbose} brings gen4j's info lines back. Runs the CLI in a child JVM
 * whose class path is this one without the examples' test classes.
 */
class QuietByDefaultTest {

    @TempDir
    Path dir;

    @Test
    void aNormalRunOfAConvFreeModelLogsNothingAndVerboseShowsTheRest() throws Exception {
        Path model = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelStore.save(new TinyMlpFamily().create(new TinyMlpFamily.Spec(4, 1, DataSpec.vector(2)), manager),
                    model);
        }
        String[] quiet = cli("sample", "--run", model.toString(), "-n", "3", "--out", dir.resolve("a.npy").toString());
        List<String> logLines = quiet[1].lines()
                .filter(l -> l.matches("^(TRACE|DEBUG|INFO|WARN|ERROR) .*")).toList();
        assertEquals(List.of(), logLines, quiet[1]);
        assertTrue(quiet[0].startsWith("3 samples of test-mlp"), quiet[0]);

        // the same run with --verbose shows gen4j's info lines (the check above can see them)
        String[] verbose = cli("sample", "--run", model.toString(), "-n", "3", "--out",
                dir.resolve("b.npy").toString(), "--verbose");
        assertTrue(verbose[1].contains("INFO ModelStore - model 'test-mlp' loaded from"), verbose[1]);
    }

    /** Runs the CLI in a child JVM; returns its stdout and stderr. */
    private static String[] cli(String... args) throws Exception {
        String ownTests = Path.of(QuietByDefaultTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).toString().equals(ownTests))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true", "-cp", classPath, Gen4jCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Path err = Files.createTempFile("gen4j-cli-", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the CLI did not finish");
            String stderr = Files.readString(err);
            assertEquals(0, p.exitValue(), out + stderr);
            return new String[] {out, stderr};
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
