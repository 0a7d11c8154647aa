package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.core.train.TrainTestSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGINT sent to a JVM training with {@link StopSignal}'s shutdown hook: the step in flight completes,
 * a checkpoint of the steps done is written (the run's own interval would write none for a million steps), the
 * process ends with the signal's status and without a crash log; a process that never reaches a safe point ends
 * after the grace period.
 */
class SignalStopTest {

    @TempDir
    Path dir;

    private record Child(Process process, BlockingQueue<String> lines, Path stderr) {}

    private Child start(Path cwd, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-cp",
                System.getProperty("java.class.path"), StopProcess.class.getName()));
        command.addAll(List.of(args));
        Path stderr = cwd.resolve("child.err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectError(stderr.toFile());
        pb.environment().put(StopSignal.GRACE_ENV, args[0].equals("busy") ? "1" : "60");
        Process p = pb.start();
        p.getOutputStream().close();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("reader failed: " + e);
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        return new Child(p, lines, stderr);
    }

    /** Waits for a line starting with {@code prefix}; returns every line read until then. */
    private static List<String> await(Child c, String prefix) throws InterruptedException, IOException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String line = c.lines().poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return seen;
                }
            } else if (!c.process().isAlive()) {
                break;
            }
        }
        c.process().destroyForcibly();
        throw new AssertionError("no '" + prefix + "' line; stdout " + seen + ", stderr "
                + Files.readString(c.stderr()));
    }

    /** Sends the signal with kill(1): {@link Process#destroy()} would also close the pipes this test reads. */
    private static void signal(Child c, String signal) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(c.process().pid())).start().waitFor());
    }

    private static boolean hasCrashLog(Path cwd) throws IOException {
        try (Stream<Path> files = Files.list(cwd)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("hs_err_pid"));
        }
    }

    private void stopsAfterTheStepInFlightWithACheckpoint(String signal, int status) throws Exception {
        Path ckpts = dir.resolve("checkpoints");
        Files.createDirectories(ckpts);
        Child c = start(dir, "train", ckpts.toString());
        await(c, "step 30");
        signal(c, signal);
        assertTrue(c.process().waitFor(90, TimeUnit.SECONDS), "the child did not end");
        List<String> rest = new ArrayList<>();
        c.lines().drainTo(rest);
        Thread.sleep(200);
        c.lines().drainTo(rest);
        String err = Files.readString(c.stderr());
        assertEquals(status, c.process().exitValue(), rest + err);
        String stopped = rest.stream().filter(l -> l.startsWith("stopped ")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'stopped' line: " + rest + err));
        long steps = Long.parseLong(stopped.substring("stopped ".length()));
        assertTrue(steps >= 31, stopped);
        assertEquals("step " + (steps - 1), rest.get(rest.size() - 2), "the last step printed is the last done");
        assertTrue(err.contains("stopping at the next safe point"), err);
        assertTrue(!hasCrashLog(dir), "hs_err file in " + dir);
        try (NDManager m = NDManager.newBaseManager()) {
            TrainTestSupport.RegressionStep step = new TrainTestSupport.RegressionStep(
                    TrainTestSupport.mlp(m, 4, 16, 2, 1), 0.01);
            TrainTestSupport.RegressionSource source = new TrainTestSupport.RegressionSource(3, 16, 4, 2);
            CheckpointStore store = new CheckpointStore(ckpts, 2, step.state(), source, 7, "{}");
            assertEquals(List.of(ckpts.resolve(CheckpointStore.fileName(steps))), store.list());
            assertEquals(steps, store.resumeLatest().orElseThrow().step());
            assertEquals(steps, source.position());
        }
    }

    @Test
    void sigtermStopsAfterTheStepInFlightWithACheckpoint() throws Exception {
        stopsAfterTheStepInFlightWithACheckpoint("TERM", 143);
    }

    @Test
    void sigintStopsAfterTheStepInFlightWithACheckpoint() throws Exception {
        // a child inherits an ignored SIGINT (a build started in the background of a script), and the JVM
        // then leaves it ignored
        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process and its children");
        stopsAfterTheStepInFlightWithACheckpoint("INT", 130);
    }

    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return new BigInteger(line.substring(7).trim(), 16).testBit(1);
            }
        }
        return false;
    }

    /** What a child started in {@code mode} did after SIGTERM once it printed {@code marker}. */
    private record Ended(int status, double seconds, String err) {}

    private Ended terminated(String mode, String marker) throws Exception {
        Child c = start(dir, mode);
        await(c, marker);
        long t0 = System.nanoTime();
        signal(c, "TERM");
        assertTrue(c.process().waitFor(60, TimeUnit.SECONDS), "the child did not end");
        return new Ended(c.process().exitValue(), (System.nanoTime() - t0) / 1e9, Files.readString(c.stderr()));
    }

    @Test
    void aProcessWaitingForTheUsersAnswerEndsAtOnce() throws Exception {
        Ended e = terminated("prompt", "waiting");
        assertEquals(143, e.status(), e.err());
        assertTrue(!e.err().contains("stopping at the next safe point"), e.err());
        assertTrue(e.seconds() < 20, "ended after " + e.seconds() + " s: it waited for the 60 s grace period");
    }

    @Test
    void workWithoutASafePointEndsAfterTheGracePeriod() throws Exception {
        Ended e = terminated("busy", "busy");
        assertEquals(143, e.status(), e.err());
        assertTrue(e.err().contains("waiting up to 1 s") && e.err().contains("still working after 1 s"), e.err());
        assertTrue(e.seconds() >= 0.9, "ended after " + e.seconds() + " s, before the grace period");
    }
}
