package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.TinyMlpFamily;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.runtime.StopRequestedException;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.examples.testing.Cli;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI asked to stop: SIGTERM to {@code gen4j bench} in its warm-up (training steps with backward passes)
 * ends the process with status 143 after the step in flight, with one {@code stopped:} line and no JVM crash log;
 * a stop out of a command is exit code {@value Gen4jCli#STOPPED}, not a failure.
 */
class CliStopTest {

    @TempDir
    Path dir;

    @Test
    void sigtermStopsABenchBetweenTwoSteps() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-Dai.djl.offline=true", "-cp", classPath(), Gen4jCli.class.getName(),
                "bench", "--family", "flow-matching", "--threads", "1", "--no-ops", "--warmup-seconds", "120"));
        Path stderr = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile()).start();
        p.getOutputStream().close();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(line);
                if (line.startsWith("autocast:")) { // the next thing the bench does is train
                    Thread.sleep(2000);
                    assertTrue(p.isAlive(), out.toString());
                    assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String err = Files.readString(stderr);
        assertEquals(143, p.exitValue(), out + err);
        assertTrue(err.contains("gen4j: stopping at the next safe point"), err);
        assertEquals(1, err.lines().filter(l -> l.startsWith("stopped: ")).count(), err);
        assertFalse(err.contains("error:"), err);
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("hs_err_pid")), "crash log");
        }
    }

    @Test
    void aStoppedSampleLeavesNoPartialFile() throws Exception {
        Path model = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelStore.save(new TinyMlpFamily().create(new TinyMlpFamily.Spec(4, 1, DataSpec.vector(2)), manager),
                    model);
        }
        Path out = dir.resolve("s.npy");
        String[] whole = Cli.run("sample", "--run", model.toString(), "-n", "10", "--chunk", "4", "--format", "npy",
                "--out", out.toString());
        assertEquals("0", whole[0], whole[2]);
        Files.delete(out);
        StopSignal.request("test");
        try {
            String[] r = Cli.run("sample", "--run", model.toString(), "-n", "10", "--chunk", "4", "--format", "npy",
                    "--out", out.toString());
            assertEquals(Integer.toString(Gen4jCli.STOPPED), r[0], r[1] + r[2]);
            assertTrue(r[2].contains("stopped: test"), r[2]);
            assertFalse(Files.exists(out), "a partial " + out);
        } finally {
            StopSignal.clear();
        }
    }

    @Test
    void aStopOutOfACommandIsItsOwnExitCode() {
        CommandLine cmd = Gen4jCli.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        int code = Gen4jCli.failure(new StopRequestedException("the process was asked to stop"), cmd, false);
        assertEquals(Gen4jCli.STOPPED, code);
        assertEquals("stopped: the process was asked to stop", err.toString().strip());
    }

    @Test
    void anUnreadableGracePeriodIsAUsageError() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(), Gen4jCli.class.getName(), "--version").directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put(StopSignal.GRACE_ENV, "ten");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(Gen4jCli.USAGE, p.exitValue(), out);
        assertEquals(StopSignal.GRACE_ENV + " must be a whole number of seconds >= 0, got 'ten'", out.strip());
    }

    private static String classPath() throws Exception {
        String ownTests = Path.of(CliStopTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).toString().equals(ownTests))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
