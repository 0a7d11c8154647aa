package io.gen4j.examples.snippets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.autoencoders.AutoencoderPreset;
import io.gen4j.autoencoders.ConditionalVaePreset;
import io.gen4j.autoencoders.Corruption;
import io.gen4j.autoencoders.VaePreset;
import io.gen4j.autoencoders.VqVaePreset;
import io.gen4j.autoregressive.MadePreset;
import io.gen4j.autoregressive.PixelCnnPreset;
import io.gen4j.autoregressive.WaveNetPreset;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.Split;
import io.gen4j.core.data.audio.MuLaw;
import io.gen4j.core.data.toy.Toy2dKind;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.viz.WavWriter;
import io.gen4j.diffusion.DdpmPreset;
import io.gen4j.diffusion.latent.LatentDiffusionPreset;
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
    /**
     * VQ-VAE snippet: 120 updates of 32 (the preset's batch is 128; 300 updates of 128 took 4 min at load 10).
     * Measured with seed 19 (2026-12-02): reconstruction 227.20 nats against 385.87 for the factorised
     * Bernoulli, 40 of 64 codes used, perplexity 23.8 (300 updates of 128: 198.87 nats, perplexity 35.4).
     */
    private static final int VQ_SNIPPET_STEPS = 120;
    private static final double VQ_SNIPPET_MARGIN = 100;
    private static final double VQ_SNIPPET_MIN_PERPLEXITY = 8;
    /**
     * MADE snippet: measured 268.63 nats against 382.64 for the factorised Bernoulli after 200 updates, seed 23
     * (2026-12-02); 300 updates gave 226.50.
     */
    private static final int MADE_SNIPPET_STEPS = 200;
    private static final double MADE_SNIPPET_MARGIN = 60;
    /**
     * WaveNet snippet: measured 4.4808 nats per sample against the test clips' μ-law marginal entropy 4.9263
     * (uniform: 5.5452) after 80 updates, seed 29 (2026-12-02); 60 updates gave 4.7393, 100 gave 4.0742.
     */
    private static final int WAVENET_SNIPPET_STEPS = 80;
    private static final double WAVENET_SNIPPET_MARGIN = 0.2;
    /** The quality-tagged latent diffusion snippet's bound on its distance ratio (measured 0.543, a model at 1). */
    private static final double LDM_SNIPPET_MAX_RATIO = 0.8;
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
                "PixelCnnSnippet", "AutoencoderSnippet", "FlowMatchingSnippet", "GanSnippet", "CvaeSnippet",
                "VqVaeSnippet", "MadeSnippet", "WaveNetSnippet", "LatentDiffusionSnippet", "SeddSnippet")),
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

    @Test
    void theVqVaeSnippetBeatsTheBestFactorisedBernoulliAndLoadsBack(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir); // 500 FashionMNIST images as both splits
        VqVaePreset preset = VqVaePreset.binarized28();
        preset = preset.withTraining(preset.training().withSteps(VQ_SNIPPET_STEPS).withBatchSize(32));

        VqVaeSnippet.Result r = VqVaeSnippet.fit(data, preset, dir.resolve("model"), 19);

        // A decoder that ignores the code can do no better than independent pixels, q_j = mean intensity of
        // pixel j (about 385.9 nats on this subset, see the VAE test): a code that carries the image does much
        // better. (The NLL bound adds the code's 7 * 7 * ln 64 = 203.8 nats under the uniform prior; it beats
        // the factorised model only below about 182 nats of reconstruction, not reached at this length.)
        ImageDataset images = DatasetResolver.defaults().load(DatasetId.FASHION_MNIST, Split.TEST, data);
        double factorised = factorisedBernoulliNll(images);
        System.out.printf("VQ-VAE snippet: reconstruction %.2f nats, bound %.2f nats, factorised Bernoulli %.2f "
                + "nats, %d codes used, perplexity %.1f%n", r.reconstruction(), r.bound(), factorised, r.codesUsed(),
                r.perplexity());
        assertTrue(r.reconstruction() < factorised - VQ_SNIPPET_MARGIN, "VQ-VAE reconstruction " + r.reconstruction()
                + " vs factorised " + factorised);
        assertEquals(r.reconstruction() + 49 * Math.log(64), r.bound(), 1e-9, "the bound adds ln K per position");
        assertTrue(r.perplexity() > VQ_SNIPPET_MIN_PERPLEXITY, "VQ-VAE code perplexity " + r.perplexity());
        assertEquals(r.reconstruction(), r.reconstructionAfterLoad(), 1e-3, "the loaded model reconstructs alike");
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    @Test
    void theMadeSnippetBeatsTheBestFactorisedBernoulliAndLoadsBack(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir); // 500 FashionMNIST images as both splits
        MadePreset preset = MadePreset.binarized28();
        preset = preset.withTraining(preset.training().withSteps(MADE_SNIPPET_STEPS));

        MadeSnippet.Result r = MadeSnippet.fit(data, preset, dir.resolve("model"), 23);

        // The best model with independent pixels on the same binarised test images (q_j = their fraction
        // of ones at pixel j), as for PixelCNN. MADE's conditionals see the pixels before j in raster order.
        ImageDataset binary = MadeSnippet.binarise(DatasetResolver.defaults().load(DatasetId.FASHION_MNIST, Split.TEST,
                data));
        binary = binary.subset(0, Math.min(500, binary.size())); // the snippet's test images
        double factorised = factorisedBernoulliNll(binary);
        System.out.printf("MADE snippet: exact NLL %.2f nats (after loading %.2f), factorised Bernoulli %.2f nats%n",
                r.nats(), r.natsAfterLoad(), factorised);
        assertTrue(r.nats() < factorised - MADE_SNIPPET_MARGIN, "MADE NLL " + r.nats() + " vs factorised " + factorised);
        assertEquals(r.nats(), r.natsAfterLoad(), 1e-3, "the loaded model gives the same likelihood");
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    @Test
    void theWaveNetSnippetBeatsTheMuLawMarginalAndLoadsBack(@TempDir Path dir) throws Exception {
        WaveNetPreset preset = WaveNetPreset.audio4k();
        preset = preset.withTraining(preset.training().withSteps(WAVENET_SNIPPET_STEPS));
        float[][] train = WaveNetSnippet.topicClips(64, preset.sampleRate(), 0.128, 1); // 512 samples each
        float[][] test = WaveNetSnippet.topicClips(8, preset.sampleRate(), 0.128, 2);

        WaveNetSnippet.Result r = WaveNetSnippet.fit(train, test, preset, dir.resolve("model"), 29);

        // Independent samples: uniform over the 256 classes costs ln 256 = 5.545 nats; the best i.i.d. model
        // of the test clips is their own μ-law class histogram, whose entropy is the bar to clear.
        double uniform = Math.log(256);
        double marginal = muLawMarginalEntropy(test);
        System.out.printf("WaveNet snippet: exact NLL %.4f nats/sample (after loading %.4f), mu-law marginal %.4f, "
                + "uniform %.4f%n", r.natsPerSample(), r.natsPerSampleAfterLoad(), marginal, uniform);
        assertTrue(r.natsPerSample() < marginal - WAVENET_SNIPPET_MARGIN, "WaveNet NLL " + r.natsPerSample()
                + " vs marginal " + marginal);
        assertEquals(r.natsPerSample(), r.natsPerSampleAfterLoad(), 1e-4, "the loaded model gives the same likelihood");
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
        assertTrue(Files.size(dir.resolve("model-sample.wav")) == WavWriter.HEADER_BYTES + 2L * preset.sampleRate() / 4,
                "a quarter second of 16-bit mono audio");
    }

    /** The entropy (nats) of the clips' μ-law (μ = 255) class histogram: the best i.i.d. model of them. */
    private static double muLawMarginalEntropy(float[][] clips) {
        MuLaw law = MuLaw.standard();
        double[] counts = new double[law.classes()];
        int n = 0;
        for (float[] clip : clips) {
            for (int c : law.encode(clip)) {
                counts[c]++;
                n++;
            }
        }
        double h = 0;
        for (double c : counts) {
            if (c > 0) {
                h -= c / n * Math.log(c / n);
            }
        }
        return h;
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

    @Test
    void theLatentDiffusionSnippetRunsAndTheLoadedModelSamplesAsTheTrainedOne(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir); // 500 FashionMNIST images (train and test), 10 classes
        // a few updates of each stage: the call sequence, the samples' shapes and the saved model are checked here;
        // that the prompts steer the samples is the slow-tagged test below (about 3 min on 2 cores)
        LatentDiffusionSnippet.Result r = LatentDiffusionSnippet.fit(data, latentSnippetPreset(10, 8, 10, 8),
                dir.resolve("model"), 11);

        System.out.printf("latent diffusion snippet (10 + 10 updates): reload difference %.3g%n", r.reloadDifference());
        // the same seed, the same weights: the same start noise and the same DDIM path, to float rounding
        assertTrue(r.reloadDifference() < 1e-4, "the loaded model samples differently: " + r.reloadDifference());
        assertTrue(r.matched() >= 0 && r.matched() <= 1 && Double.isFinite(r.distanceRatio()), r.toString());
        assertTrue(Files.isRegularFile(dir.resolve("model").resolve(ModelStore.SPEC_FILE)));
    }

    @Test
    // slow, not quality: 188 s of a 29-minute CI run on this session's machine (2026-12-02); the quality group
    // guards the same preset's steering in LatentDiffusionQualityTest (prompted class means vs untrained)
    @org.junit.jupiter.api.Tag("slow")
    void theLatentDiffusionSnippetsPromptsSteerTheSamplesToTheirClasses(@TempDir Path dir) throws Exception {
        Path data = SubsetData.directory(dir);
        LatentDiffusionSnippet.Result r = LatentDiffusionSnippet.fit(data, latentSnippetPreset(200, 32, 300, 32),
                dir.resolve("model"), 11);

        // A prompt-blind model's mean samples would be as far from their own class's mean test image as from the
        // others' on average: a ratio of 1 (and 1 class in 10 matched). Measured (2026-12-02, seed 11, autoencoder
        // 200 x 32, latent diffusion 300 x 32 with the cpu preset's models): ratio 0.543, 0.50 of the classes matched,
        // 226 s wall at load average 15-25 ((user+sys)/2 of the whole Maven run 86 s). A smaller latent U-Net (32/64
        // channels, text width 32) after 200 or 300 updates: 0.2 and 0.1 matched, ratio 0.921 (fails).
        System.out.printf("latent diffusion snippet: %.2f of the classes matched, distance ratio %.3f%n", r.matched(),
                r.distanceRatio());
        assertTrue(r.distanceRatio() < LDM_SNIPPET_MAX_RATIO, "latent diffusion snippet: " + r);
        assertTrue(r.reloadDifference() < 1e-4, "the loaded model samples differently: " + r.reloadDifference());
    }

    /** The cpu preset's models, each stage shortened to the given updates and batch. */
    private static LatentDiffusionPreset latentSnippetPreset(long vaeSteps, int vaeBatch, long steps, int batch) {
        LatentDiffusionPreset preset = LatentDiffusionPreset.textToImage32();
        return preset.withAutoencoder(preset.autoencoder().withTraining(LatentDiffusionPreset.autoencoderRecipe(vaeSteps,
                vaeBatch))).withTraining(LatentDiffusionPreset.recipe(steps, batch, preset.training().learningRate()));
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
