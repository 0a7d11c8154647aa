package io.gen4j.examples.snippets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.autoencoders.AutoencoderPreset;
import io.gen4j.autoencoders.ConditionalVaePreset;
import io.gen4j.autoencoders.Corruption;
import io.gen4j.autoencoders.VaePreset;
import io.gen4j.autoregressive.PixelCnnPreset;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.Split;
import io.gen4j.core.data.toy.Toy2dKind;
import io.gen4j.core.io.ModelStore;
import io.gen4j.diffusion.DdpmPreset;
import io.gen4j.examples.testing.SubsetData;
import io.gen4j.flows.RealNvp;
import io.gen4j.gans.GanPreset;
import io.gen4j.score.ScorePresets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code snippets of the docs are the compiled classes of this package: every {@code <!-- snippet:
 * Name -->} marker in docs/ must be followed by a java block equal to the part of {@code Name.java}
 * between {@code // snippet:begin} and {@code // snippet:end}; and each snippet runs.
 */
class SnippetsTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final Path SOURCES = Path.of("src", "test", "java", "io", "gen4j", "examples", "snippets");
    /** Steps of the GAN snippet's test (the preset's own are the topic's). */
    private static final int GAN_SNIPPET_STEPS = 200;
    private static final int CVAE_SNIPPET_STEPS = 1000;
    private static final double CVAE_SNIPPET_MIN = 0.6;
    /**
     * The trained generator's mean-image error must be below this fraction of a mid-grey image's:
     * measured 0.1805 against 0.4603 (0.39) with seed 3 and 200 steps (2026-12-02); an untrained
     * generator is at about 1.
     */
    private static final double GAN_SNIPPET_FACTOR = 0.6;
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\w+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everySnippetInTheDocsIsTheCompiledSource() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(DOCS)) {
            for (Path doc : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                String text = Files.readString(doc);
                assertEquals(count(text, "<!-- snippet: "), count(MARKER.matcher(text)),
                        doc + ": a snippet marker is not followed by a ```java block");
                Matcher m = MARKER.matcher(text);
                while (m.find()) {
                    String name = m.group(1);
                    assertEquals(compiledPart(name), m.group(2), doc + ": the snippet " + name
                            + " differs from " + SOURCES.resolve(name + ".java") + " (copy it between the markers)");
                    found.add(name);
                }
            }
        }
        assertTrue(found.containsAll(List.of("RealNvpSnippet", "VaeSnippet", "DdpmSnippet",
                "PixelCnnSnippet", "AutoencoderSnippet", "FlowMatchingSnippet", "GanSnippet", "CvaeSnippet")),
                "the family docs show their snippets: " + found);
    }

    @Test
    void theRealNvpSnippetBeatsTheBestGaussianOnMoons(@TempDir Path dir) throws Exception {
        double[][] train = rows(Toy2dKind.MOONS.create().sampleFlat(4000, 1));
        double[][] test = rows(Toy2dKind.MOONS.create().sampleFlat(2000, 2));
        RealNvp.VectorPreset preset = RealNvp.Presets.toy2d();
        preset = preset.withTraining(preset.training().withSteps(300).withBatchSize(256));

        double nll = RealNvpSnippet.fit(train, test, preset, dir.resolve("model"), 7);

        // The Gaussian with the test points' own mean and covariance is the best Gaussian for them; its NLL
        // is 0.5 ln((2 pi e)^2 det S). Moons are far from Gaussian, so a trained flow must do better.
        double gaussianNll = gaussianNll(test); // about 1.91 nats for these moons
        assertTrue(Double.isFinite(nll), "NLL " + nll);
        System.out.printf("RealNVP snippet: test NLL %.4f nats, best Gaussian %.4f nats%n", nll, gaussianNll);
        assertTrue(nll < gaussianNll - 0.2, "flow NLL " + nll + " vs best Gaussian " + gaussianNll);
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    @Test
    void theFlowMatchingSnippetBeatsTheBestGaussianOnMoons(@TempDir Path dir) throws Exception {
        double[][] train = rows(Toy2dKind.MOONS.create().sampleFlat(4000, 1));
        double[][] test = rows(Toy2dKind.MOONS.create().sampleFlat(2000, 2));
        ScorePresets.FlowMatchingPreset preset = ScorePresets.flowMatching2d();
        preset = preset.withTraining(preset.training().withSteps(1000)); // measured 1.612 nats (300 steps: 1.878)

        double nll = FlowMatchingSnippet.fit(train, test, preset, dir.resolve("model"), 7);

        // as for RealNVP: the best Gaussian of the test points (about 1.91 nats) is the bar to clear
        double gaussianNll = gaussianNll(test);
        assertTrue(Double.isFinite(nll), "NLL " + nll);
        System.out.printf("flow-matching snippet: test NLL %.4f nats, best Gaussian %.4f nats%n", nll, gaussianNll);
        assertTrue(nll < gaussianNll - 0.2, "flow-matching NLL " + nll + " vs best Gaussian " + gaussianNll);
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    @Test
    void theVaeSnippetBeatsTheBestFactorisedBernoulli(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir); // 500 FashionMNIST images as both splits
        VaePreset preset = VaePreset.binarized28();
        preset = preset.withTraining(preset.training().withSteps(300));

        double nll = VaeSnippet.fit(data, preset, dir.resolve("model"), 3);

        // The best model with independent pixels, q_j = mean intensity of pixel j, has the expected NLL
        // -sum_j [x_j ln q_j + (1 - x_j) ln(1 - q_j)] on images binarised as b_j ~ Bernoulli(x_j): about
        // 385.9 nats on this subset. A VAE that learned anything about shapes does better.
        ImageDataset images = DatasetResolver.defaults().load(DatasetId.FASHION_MNIST, Split.TEST, data);
        double factorised = factorisedBernoulliNll(images);
        assertTrue(Double.isFinite(nll), "NLL " + nll);
        System.out.printf("VAE snippet: IWAE bound %.2f nats, factorised Bernoulli %.2f nats%n", nll, factorised);
        assertTrue(nll < factorised - 30, "VAE bound " + nll + " vs factorised Bernoulli " + factorised);
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    @Test
    void theDdpmSnippetBeatsUniformPixels(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir); // 500 FashionMNIST images as both splits
        DdpmPreset preset = DdpmPreset.quickstart28();
        preset = preset.withTraining(preset.training().withSteps(40).withBatchSize(16));

        double nll = DdpmSnippet.fit(data, preset, dir.resolve("model"), 5);

        // Independent pixels uniform over the 256 levels cost 784 ln 256 = 4347.4 nats per image (8 bits/dim);
        // the variational bound of a DDPM that learned something of the data is below. Measured: 3789.0 nats
        // (6.97 bits/dim) after these 40 updates, whose EMA weights still lag the trained ones.
        double uniform = 784 * Math.log(256);
        assertTrue(Double.isFinite(nll), "NLL " + nll);
        System.out.printf("DDPM snippet: NLL bound %.1f nats (%.3f bits/dim), uniform %.1f nats%n", nll,
                nll / 784 / Math.log(2), uniform);
        assertTrue(nll < uniform - 250, "DDPM bound " + nll + " vs uniform " + uniform);
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    @Test
    void thePixelCnnSnippetBeatsTheBestFactorisedBernoulli(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir);
        PixelCnnPreset preset = PixelCnnPreset.binarized28();
        preset = preset.withTraining(preset.training().withSteps(40));

        double nll = PixelCnnSnippet.fit(data, preset, dir.resolve("model"), 11);

        // The best model with independent pixels on the binarised test images: q_j = fraction of ones at
        // pixel j, NLL = -sum_j [b_j ln q_j + (1 - b_j) ln(1 - q_j)] averaged over the images. PixelCNN's
        // conditionals see the pixels above and to the left, so a trained one does better (measured after 40 updates:
        // 210.4 nats against 383.3 for the factorised model fitted to these 200 images).
        ImageDataset binary = PixelCnnSnippet.binarise(
                DatasetResolver.defaults().load(DatasetId.FASHION_MNIST, Split.TEST, data)).subset(0, 200); // the snippet's
        double factorised = factorisedBernoulliNll(binary);
        assertTrue(Double.isFinite(nll), "NLL " + nll);
        System.out.printf("PixelCNN snippet: exact NLL %.2f nats, factorised Bernoulli %.2f nats%n", nll, factorised);
        assertTrue(nll < factorised - 30, "PixelCNN NLL " + nll + " vs factorised Bernoulli " + factorised);
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    @Test
    void theDenoisingAutoencoderSnippetBeatsTheMeanImage(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir);
        AutoencoderPreset preset = AutoencoderPreset.denoising28(new Corruption.Gaussian(0.5));
        preset = preset.withTraining(preset.training().withSteps(150));

        double mse = AutoencoderSnippet.fit(data, preset, dir.resolve("model"), 13);

        // The best constant reconstruction is the mean image; its squared error per pixel is the pixels'
        // variance around their means. A 32-number code that learned the shapes does better (150 updates:
        // 0.0303 against 0.0873).
        ImageDataset images = DatasetResolver.defaults().load(DatasetId.FASHION_MNIST, Split.TEST, data);
        double meanImage = meanImageMse(images);
        assertTrue(Double.isFinite(mse), "MSE " + mse);
        System.out.printf("Autoencoder snippet: MSE per pixel %.4f, mean image %.4f%n", mse, meanImage);
        assertTrue(mse < 0.7 * meanImage, "autoencoder MSE " + mse + " vs mean image " + meanImage);
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    private static double meanImageMse(ImageDataset images) {
        int d = images.imageSize();
        double[] mean = new double[d];
        byte[] pixels = images.pixelBytes();
        for (int i = 0; i < pixels.length; i++) {
            mean[i % d] += (pixels[i] & 0xFF) / 255.0 / images.size();
        }
        double sum = 0;
        for (int i = 0; i < pixels.length; i++) {
            double e = (pixels[i] & 0xFF) / 255.0 - mean[i % d];
            sum += e * e;
        }
        return sum / pixels.length;
    }

    @Test
    void theCvaeSnippetSteersTheSamplesOfEachLabelToItsClass(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir); // 600 training and 500 test FashionMNIST images, 10 classes
        ConditionalVaePreset preset = ConditionalVaePreset.classes28();
        preset = preset.withTraining(preset.training().withSteps(CVAE_SNIPPET_STEPS));

        double matched = CvaeSnippet.fit(data, preset, dir.resolve("model"), 17);

        // If the label did nothing, every class's mean sample would be the same image, nearest to one and
        // the same class mean: exactly 1 class in 10 would match. Measured after 1000 updates: 0.90 (seed 17),
        // 0.80 (seed 18); 0.30 after 300 updates.
        System.out.printf("cVAE snippet: %.2f of the classes matched%n", matched);
        assertTrue(matched >= CVAE_SNIPPET_MIN, "cVAE snippet: " + matched + " of the classes matched");
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    @Test
    void theSeddSnippetBeatsTheUnigramLevelAndKeepsTheGivenCharacters(@TempDir Path dir) throws Exception {
        // a text of its own (hermetic): four verses repeated, 20,000 characters
        String[] verses = {"In the beginning God created the heaven and the earth.",
            "And the earth was without form, and void; and darkness was upon the face of the deep.",
            "And the Spirit of God moved upon the face of the waters.",
            "And God said, Let there be light: and there was light."};
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 20_000; i++) {
            text.append(verses[i % verses.length]).append('\n');
        }
        Path file = dir.resolve("text.txt");
        Files.writeString(file, text);

        SeddSnippet.Result r = SeddSnippet.fit(file, 300, dir.resolve("model"), 3);

        // Measured after 300 updates (seed 3, 2026-12-02): bound 1.853 bits/char against the unigram level
        // 4.218; an untrained model's bound is above the unigram level (it starts near log2 of the alphabet)
        System.out.printf("SEDD snippet: bound %.4f bits/char, unigram %.4f; infill %s -> %s%n", r.bound(),
                r.unigram(), r.given(), r.infill());
        assertTrue(r.bound() < r.unigram() - 1.0, "SEDD snippet: bound " + r.bound() + ", unigram " + r.unigram());
        assertEquals(3, r.samples().size());
        assertEquals(32, r.infill().length());
        for (int i = 0; i < r.given().length(); i++) {
            if (r.given().charAt(i) != '_') {
                assertEquals(r.given().charAt(i), r.infill().charAt(i), "given character " + i);
            }
        }
        assertFalse(r.infill().contains("_"), r.infill());
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
        assertTrue(Files.readString(DOCS.resolve("topics").resolve("11-05-sedd.md"))
                .contains("<!-- snippet: SeddSnippet -->"), "11-05-sedd.md shows the snippet");
    }

    @Test
    void theGanSnippetLearnsTheMeanImageAndSavesAModelThatLoads(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir); // 600 training and 500 test FashionMNIST images
        GanPreset preset = GanPreset.dcganFashionMnist();
        preset = preset.withTraining(preset.training().withSteps(GAN_SNIPPET_STEPS));

        double error = GanSnippet.fit(data, preset, dir.resolve("model"), 3);

        // The baseline is the untrained generator's answer, a mid-grey image (tanh of small outputs, about 0):
        // its error is the mean over pixels of |mean test intensity| in [-1, 1], from the images' bytes.
        ImageDataset images = DatasetResolver.defaults().load(DatasetId.FASHION_MNIST, Split.TEST, data);
        double grey = meanAbsoluteMeanImage(images.subset(0, Math.min(500, images.size())));
        System.out.printf("GAN snippet: mean-image error %.4f, mid-grey image %.4f%n", error, grey);
        assertTrue(error < GAN_SNIPPET_FACTOR * grey, "GAN snippet mean-image error " + error + " vs mid grey " + grey);
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    /** mean_j |mean_i x_ij| with x in [-1, 1]: the mean-image error of a constant 0 (mid-grey) image. */
    private static double meanAbsoluteMeanImage(ImageDataset images) {
        int d = images.imageSize();
        double[] mean = new double[d];
        byte[] pixels = images.pixelBytes();
        for (int i = 0; i < pixels.length; i++) {
            mean[i % d] += ((pixels[i] & 0xFF) / 127.5 - 1) / images.size();
        }
        double sum = 0;
        for (double m : mean) {
            sum += Math.abs(m);
        }
        return sum / d;
    }

    private static double factorisedBernoulliNll(ImageDataset images) {
        int d = images.imageSize();
        double[] q = new double[d];
        byte[] pixels = images.pixelBytes();
        for (int i = 0; i < pixels.length; i++) {
            q[i % d] += (pixels[i] & 0xFF) / 255.0 / images.size();
        }
        double nll = 0;
        for (int i = 0; i < pixels.length; i++) {
            double x = (pixels[i] & 0xFF) / 255.0;
            double qj = Math.min(1 - 1e-6, Math.max(1e-6, q[i % d]));
            nll -= x * Math.log(qj) + (1 - x) * Math.log(1 - qj);
        }
        return nll / images.size();
    }

    private static String compiledPart(String name) throws IOException {
        String source = Files.readString(SOURCES.resolve(name + ".java"));
        int begin = source.indexOf("// snippet:begin\n");
        int end = source.indexOf("// snippet:end");
        assertFalse(begin < 0 || end < begin, name + ".java has no snippet markers");
        return source.substring(begin + "// snippet:begin\n".length(), end);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static double[][] rows(float[] flat) {
        double[][] r = new double[flat.length / 2][];
        for (int i = 0; i < r.length; i++) {
            r[i] = new double[] {flat[2 * i], flat[2 * i + 1]};
        }
        return r;
    }

    private static double gaussianNll(double[][] x) {
        double mx = 0, my = 0;
        for (double[] p : x) {
            mx += p[0];
            my += p[1];
        }
        mx /= x.length;
        my /= x.length;
        double sxx = 0, syy = 0, sxy = 0;
        for (double[] p : x) {
            sxx += (p[0] - mx) * (p[0] - mx);
            syy += (p[1] - my) * (p[1] - my);
            sxy += (p[0] - mx) * (p[1] - my);
        }
        double det = (sxx / x.length) * (syy / x.length) - Math.pow(sxy / x.length, 2);
        return 0.5 * Math.log(Math.pow(2 * Math.PI * Math.E, 2) * det);
    }
}
