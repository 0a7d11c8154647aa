package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.io.ArrayFiles;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.NumpyArray;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.diffusion.DdpmFamily;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen4j sample} on a tiny saved class-conditional DDPM (3 classes, T = 20, 8×8): the options
 * of conditional diffusion, --sampler, --guidance and --class, refused with exit 2 naming the option
 * and its allowed range before the model loads, and accepted by every sampler.
 */
class SampleGuidanceCliTest {

    @TempDir
    Path dir;

    Path model;

    @BeforeEach
    void saveModel() throws Exception {
        model = dir.resolve("cddpm");
        try (NDManager manager = NDManager.newBaseManager()) {
            UNetConfig tiny = new UNetConfig(1, 1, 8, new int[] {1, 2}, 1, new int[] {1}, 1, 4, 0f, 3, 0, false);
            ModelStore.save(new DdpmFamily().create(DdpmSpec.of(tiny, NoiseSchedule.cosine(20), Prediction.VELOCITY,
                    8, 8), manager), model);
        }
    }

    private byte[] sample(String name, String... extra) throws Exception {
        Path out = dir.resolve(name + ".npy");
        String[] head = {"sample", "--run", model.toString(), "-n", "6", "--steps", "4", "--format", "npy",
            "--out", out.toString()};
        String[] args = new String[head.length + extra.length];
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(extra, 0, args, head.length, extra.length);
        String[] r = ReliabilityCliTest.run(args);
        assertEquals("0", r[0], String.join(" ", args) + "\n" + r[1] + r[2]);
        NumpyArray a = ArrayFiles.read(out);
        assertEquals(new Shape(6, 1, 8, 8), a.shape(), name);
        return a.toLittleEndianBytes();
    }

    @Test
    void badValuesAreRefusedBeforeTheModelLoadsNamingTheAllowedRange() throws Exception {
        // damaged parameters: had the command loaded the model first, it would blame this file instead
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        for (Path p : Files.list(model).toList()) {
            Files.copy(p, broken.resolve(p.getFileName()));
        }
        Files.write(broken.resolve(ModelStore.PARAMETERS_FILE), new byte[] {1, 2, 3});
        String m = broken.toString();
        String out = dir.resolve("x.npy").toString();
        String line = ReliabilityCliTest.assertUserError("--sampler must be one of ddpm, ddim, euler, heun, dpmpp-2m",
                "sample", "--run", m, "-n", "2", "--sampler", "lms", "--out", out);
        assertTrue(line.endsWith("got 'lms'"), line);
        ReliabilityCliTest.assertUserError("--guidance must be finite and >= 0", "sample", "--run", m, "-n", "2",
                "--guidance", "-1", "--out", out);
        line = ReliabilityCliTest.assertUserError("--class must be in [0, 2]", "sample", "--run", m, "-n", "2",
                "--class", "1,5", "--out", out);
        assertTrue(line.endsWith("got [1, 5]"), line);
        ReliabilityCliTest.assertUserError("--class must be a class, a comma-separated list of classes or all",
                "sample", "--run", m, "-n", "2", "--class", "shoes", "--out", out);
        ReliabilityCliTest.assertUserError("--eta must be left unset with sampler heun", "sample", "--run", m, "-n",
                "2", "--sampler", "heun", "--eta", "0.5", "--out", out);
        ReliabilityCliTest.assertUserError("--steps must be in [2, 20]", "sample", "--run", m, "-n", "2", "--sampler",
                "dpmpp-2m", "--steps", "1", "--out", out);
    }

    @Test
    void guidanceNeedsAClassConditionalModel() throws Exception {
        Path plain = dir.resolve("ddpm");
        try (NDManager manager = NDManager.newBaseManager()) {
            UNetConfig tiny = new UNetConfig(1, 1, 8, new int[] {1, 2}, 1, new int[] {1}, 1, 4, 0f, 0, 0, false);
            ModelStore.save(new DdpmFamily().create(DdpmSpec.of(tiny, NoiseSchedule.cosine(20), Prediction.EPSILON,
                    8, 8), manager), plain);
        }
        ReliabilityCliTest.assertUserError("--guidance must be left unset for this unconditional model", "sample",
                "--run", plain.toString(), "-n", "2", "--guidance", "2", "--out", dir.resolve("p.npy").toString());
    }

    @Test
    void everySamplerTakesGuidanceAndClasses() throws Exception {
        byte[] plain = sample("plain");
        assertArrayEquals(plain, sample("w1", "--guidance", "1"), "w = 1 is the conditional model itself");
        assertArrayEquals(plain, sample("ddim", "--sampler", "ddim"), "ddim is the default sampler");
        assertArrayEquals(plain, sample("all", "--class", "all"), "all cycles through the classes, the default");
        byte[] guided = sample("w3", "--guidance", "3");
        assertFalse(Arrays.equals(plain, guided), "w = 3 changes the samples");
        assertArrayEquals(sample("label", "--label", "1"), sample("class", "--class", "1"), "--class k is --label k");
        assertArrayEquals(sample("list", "--class", "0,2"), sample("cycle", "--class", "0,2,0,2,0,2"),
                "6 samples cycle 0,2,0,2,0,2 either way");
        for (String s : new String[] {"ddpm", "euler", "heun", "dpmpp-2m"}) {
            byte[] x = sample(s, "--sampler", s, "--guidance", "2.5", "--class", "0,2");
            assertFalse(Arrays.equals(x, sample(s + "-w1", "--sampler", s, "--class", "0,2")),
                    s + ": guidance changes the samples");
        }
    }
}
