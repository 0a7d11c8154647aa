package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.TinyMlpFamily;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.runtime.Devices;
import io.gen4j.diffusion.DdpmFamily;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes of issue 15 that need no trained classifier: every user error is one line on stderr
 * naming the option or the file, exit code 2, no stack trace (unless --verbose); bad option values
 * are refused while parsing, before a command runs; damaged model files are named.
 */
class ReliabilityCliTest {

    @TempDir
    Path dir;

    /** @return exit code, stdout, stderr */
    static String[] run(String... args) {
        return io.gen4j.examples.testing.Cli.run(args);
    }

    /** Exit 2, at most two lines on stderr (the error and where the help is), naming {@code name}, no trace. */
    static String assertUserError(String name, String... args) {
        String[] r = run(args);
        String all = String.join(" ", args) + " -> " + r[0] + "\n" + r[1] + r[2];
        assertEquals("2", r[0], all);
        List<String> lines = r[2].lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() >= 1 && lines.size() <= 2, all);
        assertTrue(lines.get(0).contains(name), all);
        assertFalse(r[2].contains("Exception") || r[2].contains("\tat "), all);
        return lines.get(0);
    }

    @Test
    void badOptionValuesAreOneLineNamingTheOption() {
        // refused by picocli's converters while parsing: the command (and the engine) never starts
        assertUserError("'--threads'", "topic", "11-05", "--threads", "0");
        assertUserError("'--threads'", "quickstart", "--threads", "two");
        assertUserError("'--device'", "topic", "11-05", "--device", "bogus");
        assertUserError("'--device'", "sample", "--run", dir.toString(), "--device", "gpu:x");
        assertUserError("'--conv-guard'", "doctor", "--conv-guard", "sometimes");
        assertUserError("--profile", "topic", "11-05", "--profile", "huge");
        assertUserError("--steps must be >= 1, got -5", "quickstart", "--steps", "-5");
        assertUserError("--quality-samples", "quickstart", "--quality-samples", "1");
        assertUserError("--checkpoint-every", "quickstart", "--checkpoint-every", "-1");
        assertTrue(assertUserError("'--checkpoint-minutes'", "quickstart", "--checkpoint-minutes", "-1")
                .contains("expected a number of minutes in [0, 1e6], got -1"));
        assertTrue(assertUserError("'--checkpoint-minutes'", "topic", "11-01", "--checkpoint-minutes", "soon")
                .contains("expected a number of minutes >= 0, got 'soon'"));
        assertUserError("-n and --chunk", "sample", "--run", dir.toString(), "-n", "0");
        assertUserError("--batch-size", "eval", "--real", "fashion-mnist", "--fake", dir.toString(), "--batch-size", "0");
        assertUserError("--real", "eval", "--fake", dir.toString());
    }

    @Test
    void aMissingOrEmptyDataFolderIsAnErrorNotAFallback() throws Exception {
        Path missing = dir.resolve("no-such-data");
        assertEquals("--data " + missing + ": no such directory",
                assertUserError("--data", "quickstart", "--data", missing.toString(), "--out", dir.toString()));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals("--data " + empty + ": the directory is empty",
                assertUserError("--data", "topic", "11-01", "--data", empty.toString(), "--out", dir.toString()));
        try (var runs = Files.list(dir)) {
            assertEquals(List.of(empty), runs.filter(p -> !p.equals(missing)).toList(), "no run directory was made");
        }
    }

    @Test
    void missingAndDamagedModelFilesAreNamed() throws Exception {
        assertTrue(assertUserError("model.json", "sample", "--run", dir.resolve("nothing").toString())
                .contains("no saved model"));
        Path model = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelStore.save(new TinyMlpFamily().create(new TinyMlpFamily.Spec(4, 1, DataSpec.vector(2)), manager),
                    model);
        }
        Path params = model.resolve(ModelStore.PARAMETERS_FILE);
        byte[] good = Files.readAllBytes(params);
        String[] ok = run("sample", "--run", model.toString(), "-n", "3", "--out", dir.resolve("ok.npy").toString());
        assertEquals("0", ok[0], ok[1] + ok[2]);

        byte[] flipped = good.clone();
        flipped[flipped.length - 2] ^= 0x01; // one bit of a weight: would sample wrong numbers with exit 0
        Files.write(params, flipped);
        String line = assertUserError(params.toString(), "sample", "--run", model.toString(), "-n", "3", "--out",
                dir.resolve("a.npy").toString());
        assertTrue(line.contains("damaged") && line.contains("SHA-256"), line);
        assertFalse(Files.exists(dir.resolve("a.npy")));

        Files.write(params, Arrays.copyOf(good, good.length / 3)); // a save or copy cut short
        line = assertUserError(params.toString(), "sample", "--run", model.toString(), "-n", "3", "--out",
                dir.resolve("b.npy").toString());
        assertTrue(line.contains("truncated: " + good.length / 3 + " bytes"), line);

        Files.delete(params);
        assertTrue(assertUserError(params.toString(), "sample", "--run", model.toString(), "-n", "3", "--out",
                dir.resolve("c.npy").toString()).contains("missing"));

        Files.writeString(model.resolve(ModelStore.SPEC_FILE), "{\"format\": \"gen4j-mo");
        assertTrue(assertUserError(ModelStore.SPEC_FILE, "sample", "--run", model.toString(), "-n", "3")
                .contains("not valid JSON"));
    }

    @Test
    void aModelOfAFamilyThatIsNotInstalledIsAUserError() throws Exception {
        Path model = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelStore.save(new TinyMlpFamily().create(new TinyMlpFamily.Spec(4, 1, DataSpec.vector(2)), manager),
                    model);
        }
        Path spec = model.resolve(ModelStore.SPEC_FILE);
        Files.writeString(spec, Files.readString(spec).replace("\"family\" : \"test-mlp\"", "\"family\" : \"nope\""));
        String line = assertUserError(spec.toString(), "sample", "--run", model.toString(), "-n", "2");
        assertTrue(line.contains("family 'nope'") && line.contains("test-mlp"), line);
    }

    @Test
    void verboseAddsTheStackTrace() {
        String[] r;
        try {
            r = run("quickstart", "--data", dir.resolve("nothing").toString(), "--verbose");
        } finally {
            // --verbose raised the log levels for the rest of the CLI's process: not of this one
            for (String logger : List.of("ai.djl", "ai.djl.util.cuda.CudaUtils", "io.gen4j")) {
                System.clearProperty(GlobalOptions.LOG_LEVEL_PREFIX + logger);
            }
        }
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("--data " + dir.resolve("nothing") + ": no such directory"), r[2]);
        assertTrue(r[2].contains("\tat io.gen4j."), r[2]);
    }

    @Test
    void sampleRefusesToOverwriteWithoutForce() throws Exception {
        Path model = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelStore.save(new TinyMlpFamily().create(new TinyMlpFamily.Spec(4, 1, DataSpec.vector(2)), manager),
                    model);
        }
        Path target = Files.writeString(dir.resolve("kept.csv"), "a finished result\n");
        assertUserError("--force", "sample", "--run", model.toString(), "-n", "2", "--format", "csv", "--out",
                target.toString());
        assertEquals("a finished result\n", Files.readString(target));
        String[] r = run("sample", "--run", model.toString(), "-n", "2", "--format", "csv", "--out", target.toString(),
                "--force");
        assertEquals("0", r[0], r[2]);
        assertEquals(3, Files.readAllLines(target).size(), "header and two samples");
    }

    @Test
    void sampleStepsAboveTheModelsTAreRefusedBeforeTheModelLoads() throws Exception {
        Path model = dir.resolve("ddpm");
        try (NDManager manager = NDManager.newBaseManager()) {
            UNetConfig tiny = new UNetConfig(1, 1, 8, new int[] {1, 2}, 1, new int[] {1}, 1, 4, 0f, 2, 0, false);
            ModelStore.save(new DdpmFamily().create(DdpmSpec.of(tiny, NoiseSchedule.cosine(20), Prediction.EPSILON,
                    8, 8), manager), model);
        }
        // damaged parameters: had the command loaded the model first, it would blame this file instead
        Files.write(model.resolve(ModelStore.PARAMETERS_FILE), new byte[] {1, 2, 3});
        String line = assertUserError("--steps must be in [2, 20]", "sample", "--run", model.toString(), "-n", "2",
                "--steps", "5000", "--out", dir.resolve("s.npy").toString());
        assertTrue(line.endsWith("got 5000"), line);
    }

    @Test
    void sampleShowsItsProgressOnStderr() throws Exception {
        Path model = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelStore.save(new TinyMlpFamily().create(new TinyMlpFamily.Spec(4, 1, DataSpec.vector(2)), manager),
                    model);
        }
        String[] r = run("sample", "--run", model.toString(), "-n", "5", "--chunk", "2", "--out",
                dir.resolve("s.npy").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        // no terminal here: a line per tenth crossed (chunks of 2, 2 and 1), then the summary
        List<String> lines = r[2].lines().filter(l -> l.startsWith("sample")).toList();
        assertEquals(4, lines.size(), r[2]);
        assertTrue(lines.get(0).startsWith("sample 2/5 [########------------]  40% "), r[2]);
        assertTrue(lines.get(1).startsWith("sample 4/5 "), r[2]);
        assertTrue(lines.get(2).startsWith("sample 5/5 [####################] 100% "), r[2]);
        assertTrue(lines.get(3).startsWith("sample: 5 in "), r[2]);
        assertFalse(r[1].contains("sample 2/5"), "progress is not on stdout: " + r[1]);
    }

    @Test
    void versionIsTheProjectVersion() {
        String[] r = run("--version");
        assertEquals("0", r[0]);
        assertTrue(r[1].strip().matches("gen4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), r[1]);
    }

    @Test
    void doctorWithAGpuThatIsNotThereBlamesTheDevice() {
        assumeTrue(Engine.getInstance().getGpuCount() < 8, "this machine has a GPU 7");
        String[] r;
        try {
            r = run("doctor", "--device", "gpu:7");
        } finally {
            System.clearProperty(Devices.PROPERTY); // the CLI sets it for the rest of its process: not of this one
        }
        assertEquals("2", r[0], r[1] + r[2]);
        assertEquals(List.of("--device: device 'gpu:7' asked for GPU 7 but the engine sees "
                + Engine.getInstance().getGpuCount() + " GPU(s)"), r[2].lines().toList());
        assertFalse(r[2].contains("class path"), r[2]);
    }

    @Test
    void gpuProfileWithoutAGpuIsRefusedUnlessCpuIsAsked() {
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        String line = assertUserError("--profile gpu", "topic", "11-05", "--profile", "gpu", "--out", dir.toString());
        assertTrue(line.contains("--device cpu"), line);
    }

    @Test
    void gpuProfileWithoutAGpuAsksOnATerminal() throws Exception {
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        List<String> asked = new java.util.ArrayList<>();
        // a data folder that passes the checks before the engine but holds no dataset: the topic fails fast
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("notes.txt"), "not a dataset");
        String[] args = {"topic", "11-01", "--profile", "gpu", "--out", dir.toString(), "--data", data.toString()};
        Terminal old = Gen4jCli.useTerminal(q -> {
            asked.add(q);
            return false;
        });
        try {
            String line = assertUserError("--profile gpu", args);
            assertTrue(line.contains("--device cpu"), line);
            assertEquals(1, asked.size());
            assertTrue(asked.get(0).endsWith("Run it on the CPU anyway?"), asked.get(0));

            Gen4jCli.useTerminal(q -> {
                asked.add(q);
                return true;
            });
            String[] r = run(args); // yes: the run starts, and stops at the data
            assertEquals(2, asked.size());
            assertFalse(r[2].contains("--profile gpu"), r[2]);
            assertTrue(r[2].contains(data.toString()), r[2]);
        } finally {
            Gen4jCli.useTerminal(old);
        }
        assertTrue(Terminal.yes("y") && Terminal.yes(" YES ") && !Terminal.yes("") && !Terminal.yes(null)
                && !Terminal.yes("no"));
    }
}
