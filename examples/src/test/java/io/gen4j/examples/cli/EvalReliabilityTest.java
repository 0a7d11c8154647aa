package io.gen4j.examples.cli;

import static io.gen4j.examples.cli.ReliabilityCliTest.assertUserError;
import static io.gen4j.examples.cli.ReliabilityCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.data.IdxReader;
import io.gen4j.core.io.ArrayFiles;
import io.gen4j.core.io.NumpyArray;
import io.gen4j.core.io.NumpyType;
import io.gen4j.eval.CnnClassifierConfig;
import io.gen4j.eval.CnnClassifierTraining;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.ImageSet;
import io.gen4j.examples.testing.SubsetData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval probes of issue 15 on 40 images of the committed FashionMNIST subset: no wrong number
 * with exit code 0 (non-finite arrays, integer widths, float ranges, grey RGB), mismatches and bad
 * files reported before any feature is computed, no silent overwrite, and train-classifier's checks.
 * The real images are the fakes in another encoding, so the right FID is 0 (an independent fact).
 */
class EvalReliabilityTest {

    private static final int N = 40;

    @TempDir
    static Path dir;

    private static Path data;
    private static Path classifier;
    private static Path real;
    private static byte[] pixels;

    @BeforeAll
    static void setUp() throws Exception {
        data = SubsetData.directory(dir);
        IdxReader.IdxImages images = IdxReader.readImages(data.resolve("t10k-images-idx3-ubyte.gz"));
        int[] labels = IdxReader.readLabels(data.resolve("t10k-labels-idx1-ubyte.gz"));
        pixels = Arrays.copyOf(images.pixels(), N * 28 * 28);
        real = dir.resolve("real.npy");
        ArrayFiles.write(real, new NumpyArray(NumpyType.UINT8, new Shape(N, 1, 28, 28), pixels));
        classifier = dir.resolve("cnn.bin");
        try (NDManager manager = NDManager.newBaseManager();
                CnnFeatureExtractor cnn = new CnnClassifierTraining(1, 20, 2e-3, 0).train(
                        CnnClassifierConfig.fashionMnist(), new ImageSet(N, 1, 28, 28, pixels),
                        Arrays.copyOf(labels, N), manager)) {
            cnn.save(classifier);
        }
    }

    private static String[] eval(Path fake, String... more) {
        List<String> args = new ArrayList<>(List.of("eval", "--real", real.toString(), "--fake", fake.toString(),
                "--classifier", classifier.toString(), "--metrics", "fid", "--no-floor"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static double fid(String[] r) {
        assertEquals("0", r[0], r[1] + r[2]);
        String line = r[1].lines().filter(l -> l.startsWith("FID-fmnist-cnn = ")).findFirst().orElseThrow();
        return Double.parseDouble(line.substring("FID-fmnist-cnn = ".length(), line.indexOf(' ', 17)));
    }

    private static Path array(String name, NumpyArray a) throws Exception {
        Path file = dir.resolve(name);
        ArrayFiles.write(file, a);
        return file;
    }

    private static Path floats(String name, float scale, float offset) throws Exception {
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (pixels[i] & 0xFF) * scale + offset;
        }
        return array(name, NumpyArray.of(x, new Shape(N, 1, 28, 28)));
    }

    @Test
    void nonFiniteArraysAreErrorsNotNumbers() throws Exception {
        float[] x = new float[pixels.length];
        Arrays.fill(x, Float.NaN);
        Path nan = array("nan.npy", NumpyArray.of(x, new Shape(N, 1, 28, 28)));
        String line = assertUserError(nan.toString(), "eval", "--real", real.toString(), "--fake", nan.toString(),
                "--classifier", classifier.toString(), "--metrics", "fid,pr");
        assertTrue(line.contains("image 0 holds NaN"), line);
        Path inf = floats("inf.npy", 1 / 255f, 0);
        float[] y = new float[pixels.length];
        y[5 * 784 + 3] = Float.POSITIVE_INFINITY;
        ArrayFiles.write(inf, NumpyArray.of(y, new Shape(N, 1, 28, 28)));
        assertTrue(assertUserError(inf.toString(), "eval", "--real", real.toString(), "--fake", inf.toString(),
                "--classifier", classifier.toString()).contains("image 5 holds Infinity"));
    }

    @Test
    void integerArraysOfEveryWidthArePixelLevels() throws Exception {
        long[] wide = new long[pixels.length];
        int[] mid = new int[pixels.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = pixels[i] & 0xFF;
            mid[i] = pixels[i] & 0xFF;
        }
        assertEquals(0.0, fid(eval(array("i64.npy", NumpyArray.of(wide, new Shape(N, 1, 28, 28))))), 1e-6);
        assertEquals(0.0, fid(eval(array("i32.npz", NumpyArray.of(mid, new Shape(N, 28, 28, 1))))), 1e-6);
        wide[7] = 256;
        Path over = array("over.npy", NumpyArray.of(wide, new Shape(N, 1, 28, 28)));
        assertTrue(assertUserError(over.toString(), "eval", "--real", real.toString(), "--fake", over.toString(),
                "--classifier", classifier.toString()).contains("[0, 255]"));
    }

    @Test
    void theFloatRangeIsDetectedPrintedAndRecorded() throws Exception {
        Path sym = floats("sym.npy", 2 / 255f, -1);
        Path out = dir.resolve("out-sym");
        String[] r = eval(sym, "--out", out.toString());
        assertEquals(0.0, fid(r), 1e-6); // read as [0, 1] it would lose every value below 0
        assertTrue(r[1].contains("read as [-1, 1] (detected: a value < 0)"), r[1]);
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertTrue(metrics.get(0).get("preprocessing").asText().contains("generated: float32 values in [-1.000, 1.000]"
                + " read as [-1, 1] (detected: a value < 0)"), metrics.toString());
        assertTrue(Files.readString(out.resolve("report.md")).contains("read as [-1, 1] (detected"));

        assertEquals(0.0, fid(eval(floats("unit.npy", 1 / 255f, 0))), 1e-6);
        Path bytes = floats("bytes.npy", 1, 0);
        assertTrue(assertUserError("--fake-range", "eval", "--real", real.toString(), "--fake", bytes.toString(),
                "--classifier", classifier.toString()).contains("ambiguous"));
        r = eval(bytes, "--range", "byte");
        assertEquals(0.0, fid(r), 1e-6);
        assertTrue(r[1].contains("read as [0, 255] (given)"), r[1]);
    }

    @Test
    void greyImagesSavedAsRgbAreReadAsGrey() throws Exception {
        byte[] rgb = new byte[3 * pixels.length];
        for (int k = 0; k < N; k++) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(pixels, k * 784, rgb, (3 * k + c) * 784, 784);
            }
        }
        String[] r = eval(array("rgb.npy", new NumpyArray(NumpyType.UINT8, new Shape(N, 3, 28, 28), rgb)));
        assertEquals(0.0, fid(r), 1e-6);
        assertTrue(r[1].contains("RGB with equal channels read as grey"), r[1]);
        Path pngs = Files.createDirectories(dir.resolve("rgb-png"));
        for (int k = 0; k < N; k++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < 784; i++) {
                int v = pixels[k * 784 + i] & 0xFF;
                img.setRGB(i % 28, i / 28, (v << 16) | (v << 8) | v);
            }
            ImageIO.write(img, "png", pngs.resolve(String.format("%03d.png", k)).toFile());
        }
        assertEquals(0.0, fid(eval(pngs)), 1e-6);
    }

    @Test
    void aChannelMismatchIsReportedBeforeAnyFeature() throws Exception {
        byte[] colour = new byte[3 * pixels.length];
        new Random(1).nextBytes(colour);
        Path rgb = array("colour.npy", new NumpyArray(NumpyType.UINT8, new Shape(N, 3, 28, 28), colour));
        String[] r = eval(rgb);
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("--fake " + rgb + ": images are 3x28x28 (CxHxW), but the classifier fmnist-cnn takes "
                + "1x28x28; colour images need a classifier trained on colour data"), r[2]);
        assertFalse(r[1].contains("extractor:"), "features were computed: " + r[1]);
        Path small = array("small.npy", new NumpyArray(NumpyType.UINT8, new Shape(N, 1, 14, 14), new byte[N * 196]));
        r = eval(small);
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("images are 1x14x14"), r[2]);
    }

    @Test
    void badInputFilesAreNamedInOneLine() throws Exception {
        Path garbage = dir.resolve("garbage.npz");
        byte[] junk = new byte[3000];
        new Random(2).nextBytes(junk);
        Files.write(garbage, junk);
        assertTrue(assertUserError(garbage.toString(), "eval", "--real", real.toString(), "--fake", garbage.toString(),
                "--classifier", classifier.toString()).contains("not a .npz"));
        Path missing = dir.resolve("no-such-samples");
        assertEquals("--fake " + missing + ": no such file or directory", assertUserError("--fake", "eval", "--real",
                real.toString(), "--fake", missing.toString(), "--classifier", classifier.toString()));
        assertTrue(assertUserError("--real", "eval", "--real", missing.toString(), "--fake", real.toString(),
                "--classifier", classifier.toString()).contains("no such file or directory"));
        String hint = assertUserError("--classifier", "eval", "--real", real.toString(), "--fake", real.toString());
        assertTrue(hint.contains("eval train-classifier --out"), hint);
    }

    @Test
    void damagedClassifierFilesAreRefused() throws Exception {
        byte[] good = Files.readAllBytes(classifier);
        Path cut = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(good, good.length - 100));
        assertTrue(assertUserError(cut.toString(), "eval", "--real", real.toString(), "--fake", real.toString(),
                "--classifier", cut.toString()).contains("truncated"));
        Path notOne = Files.write(dir.resolve("not-one.bin"), "GEN4JCN?".getBytes());
        assertTrue(assertUserError(notOne.toString(), "eval", "--real", real.toString(), "--fake", real.toString(),
                "--classifier", notOne.toString()).contains("not a gen4j classifier file"));
        // one changed bit of a weight: a classifier that loads and computes other features, without the checksum
        byte[] flipped = good.clone();
        flipped[flipped.length - 32 - 2] ^= 0x01;
        Path changed = Files.write(dir.resolve("flipped.bin"), flipped);
        String[] f = run("eval", "--real", real.toString(), "--fake", real.toString(), "--classifier",
                changed.toString(), "--metrics", "fid", "--no-floor");
        assertEquals("2", f[0], f[1] + f[2]);
        assertTrue(f[2].startsWith(changed + ": damaged: its SHA-256"), f[2]);
        assertFalse(f[1].contains("FID"), f[1]);
        // a classifier whose weights are NaN (a diverged training), saved with a valid checksum
        byte[] nan = Arrays.copyOf(good, good.length - 32);
        Arrays.fill(nan, nan.length - 8, nan.length, (byte) 0xFF); // all-ones floats are NaN in either byte order
        byte[] sum = java.security.MessageDigest.getInstance("SHA-256").digest(nan);
        nan = Arrays.copyOf(nan, nan.length + 32);
        System.arraycopy(sum, 0, nan, nan.length - 32, 32);
        Path broken = Files.write(dir.resolve("nan.bin"), nan);
        String[] r = run("eval", "--real", real.toString(), "--fake", real.toString(), "--classifier",
                broken.toString(), "--metrics", "fid");
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains(broken.toString()) && r[2].contains("NaN"), r[2]);
        assertFalse(r[1].contains("FID"), r[1]);
    }

    @Test
    void fakeLabelsAreCheckedBeforeAnyMetric() throws Exception {
        Path bad = Files.writeString(dir.resolve("labels-bad.txt"), "1\n2\nshirt\n");
        String[] r = eval(real, "--fake-labels", bad.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--fake-labels " + bad + ": line 3 is 'shirt'"), r[2]);
        assertEquals("", r[1]);
        Path few = Files.writeString(dir.resolve("labels-few.txt"), "1\n2\n");
        r = eval(real, "--fake-labels", few.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("has 2 labels for " + N + " generated images"), r[2]);
        assertFalse(r[1].contains("FID"), r[1]);
    }

    @Test
    void evalShowsItsProgressOnStderr() throws Exception {
        String[] r = eval(real);
        assertEquals(0.0, fid(r), 1e-6);
        // 40 real and 40 generated images in batches of 40 (the default 50 is more than there are)
        List<String> lines = r[2].lines().filter(l -> l.startsWith("images")).toList();
        assertEquals(3, lines.size(), r[2]);
        assertTrue(lines.get(0).startsWith("images 40/80 [##########----------]  50% "), r[2]);
        assertTrue(lines.get(1).startsWith("images 80/80 [####################] 100% "), r[2]);
        assertTrue(lines.get(2).startsWith("images: 80 in "), r[2]);
    }

    @Test
    void resultsAreNotOverwrittenWithoutForce() throws Exception {
        Path out = Files.createDirectories(dir.resolve("kept"));
        Files.writeString(out.resolve("metrics.json"), "[]");
        assertUserError("--force", "eval", "--real", real.toString(), "--fake", real.toString(), "--classifier",
                classifier.toString(), "--out", out.toString());
        assertEquals("[]", Files.readString(out.resolve("metrics.json")));
        assertEquals(0.0, fid(eval(real, "--out", out.toString(), "--force")), 1e-6);
        // written like any other file: the umask's permissions, not a temporary file's rw-------
        Path plain = Files.createFile(dir.resolve("plain"));
        for (Path written : List.of(out.resolve("metrics.json"), out.resolve("report.md"), classifier)) {
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(written)), written.toString());
        }
    }

    @Test
    void trainClassifierChecksItsOutputAndDataFirstAndRefusesAChanceModel() throws Exception {
        assertTrue(assertUserError("--out", "eval", "train-classifier", "--out", dir.toString()).contains("is a directory"));
        assertTrue(assertUserError("--out", "eval", "train-classifier", "--out", classifier.toString()).contains("exists"));
        Path missing = dir.resolve("nope");
        assertUserError("--data " + missing, "eval", "train-classifier", "--data", missing.toString(), "--out",
                dir.resolve("x.bin").toString());
        // a FashionMNIST folder is FashionMNIST (it used to ask for CIFAR-10 files); a diverged model is not saved
        Path target = dir.resolve("diverged.bin");
        String[] r = run("eval", "train-classifier", "--data", data.toString(), "--out", target.toString(),
                "--max-train", "20", "--epochs", "1", "--batch-size", "20", "--lr", "1000");
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("training fmnist-cnn on 20 images of fashion-mnist (" + data + ")"), r[1]);
        // stderr: the training's progress, then why it was not saved
        assertTrue(r[2].contains("step 1/1 [####################] 100%"), r[2]);
        assertTrue(r[2].lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").startsWith("not saved: "), r[2]);
        assertFalse(Files.exists(target));
    }
}
