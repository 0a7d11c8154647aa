package io.gen4j.examples.topics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.autoregressive.Made;
import io.gen4j.autoregressive.MadeConfig;
import io.gen4j.autoregressive.MadeOrdering;
import io.gen4j.autoregressive.MadeOutput;
import io.gen4j.autoregressive.PixelCnnModel;
import io.gen4j.autoregressive.PixelCnnSampler;
import io.gen4j.autoregressive.WaveNetConfig;
import io.gen4j.autoregressive.WaveNetPreset;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.viz.ImageGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Course topic 11-10, autoregressive models: MADE and a gated PixelCNN on binarised FashionMNIST
 * (exact NLL), WaveNet on synthetic audio (naive vs cached generation). The closing comparison of
 * every family on the same binarised images is a run of its own ({@link ComparisonTopic}, {@code
 * gen4j compare}).
 */
public final class AutoregressiveTopic implements Topic {

    /**
     * The configuration of a run, written to config.json.
     *
     * @param profile the profile
     * @param seed the seed
     * @param trainImages training images (0 = all)
     * @param testImages test images (0 = all)
     * @param nllImages test images in every NLL
     * @param speedImages images drawn by the naive, the banded, the row-cached and the pixel-cached PixelCNN sampler
     * @param audio the WaveNet part
     */
    record Settings(Profile profile, long seed, int trainImages, int testImages, int nllImages,
            int speedImages, AutoregressiveTopicAudio.Settings audio) {}

    @Override
    public String id() {
        return "11-10";
    }

    @Override
    public String title() {
        return "Autoregressive models: MADE, PixelCNN, WaveNet (every family compared: the compare command)";
    }

    static Settings settings(Profile profile, long seed) {
        return switch (profile) {
            case SMOKE -> new Settings(profile, seed, 256, 64, 16, 1,
                    new AutoregressiveTopicAudio.Settings(new WaveNetConfig(4, 8, 3, 1, 2, 256), 2000, 8, 0.05, 3, 4,
                            0.05, 20, 40));
            case CPU -> new Settings(profile, seed, 0, 0, 500, 1,
                    audio(WaveNetPreset.audio4k(), 256, 0.128, 1.0, 500, 2000));
            case GPU -> new Settings(profile, seed, 0, 0, 10_000, 4,
                    audio(WaveNetPreset.audio16k(), 2048, 0.5, 4.0, 4000, 16_000));
        };
    }

    private static AutoregressiveTopicAudio.Settings audio(WaveNetPreset p, int clips, double clipSeconds,
            double generateSeconds, int speedSamples, int longSpeedSamples) {
        return new AutoregressiveTopicAudio.Settings(p.config(), p.sampleRate(), clips, clipSeconds,
                (int) p.training().steps(), p.training().batchSize(), generateSeconds, speedSamples, longSpeedSamples);
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        Settings s = settings(options.profile(), options.seed());
        TopicRun topicRun = TopicRun.open(options, "11-10-autoregressive", s);
        RunDirectory run = topicRun.directory();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        files.add(run.configFile());
        long start = System.nanoTime();

        Comparison.BinarisedData binarised = Comparison.BinarisedData.load(options.dataPath(), s.trainImages(),
                s.testImages());
        TopicData data = binarised.data();
        ImageDataset train = binarised.train();
        ImageDataset test = binarised.test();
        StringBuilder report = new StringBuilder(binarised.reportHeader("Autoregressive models", s.profile(), s.seed()));

        try (NDManager manager = NDManager.newBaseManager()) {
            ComparisonContext context = new ComparisonContext(train, s.profile(), topicRun, s.seed(), manager);

            // MADE
            files.add(masksFigure(run.image("made-masks.png")));
            long t0 = System.nanoTime();
            GenerativeModel made = new ComparisonEntries.Made().train(context);
            double madeSeconds = (System.nanoTime() - t0) / 1e9;
            double madeNll = Comparison.meanNll(made, test, s.nllImages(), manager);
            files.add(ModelStore.save(made, run.root().resolve("model-made")));
            files.add(grid(made, 64, run.image("made-samples.png"), manager));
            metrics.put("made.testNll", madeNll);
            metrics.put("made.trainSeconds", madeSeconds);
            report.append("## MADE\n\n![masks](images/made-masks.png)\n\n")
                    .append("Top: the masks of a MADE with D = 8 inputs and two hidden layers of 12 units, natural order ")
                    .append("(left) and a random order (right): layer 1, layer 2, output layer, and their product, ")
                    .append("the input→output connectivity: output d sees input j only when j comes before d in the order (a strict triangle, permuted for the random order).\n\n")
                    .append(String.format(Locale.ROOT, "MADE (%s): test NLL **%.2f nats** per image (%.4f bits/dim, "
                            + "exact), %d test images; training %.0f s.%n%n![MADE samples](images/made-samples.png)%n%n",
                            ((io.gen4j.autoregressive.MadeModel) made).spec().config(), madeNll,
                            Likelihoods.bitsPerDim(madeNll, train.imageSize(), 1.0), Math.min(s.nllImages(),
                                    test.size()), madeSeconds));

            // PixelCNN
            t0 = System.nanoTime();
            PixelCnnModel pixelCnn = (PixelCnnModel) new ComparisonEntries.PixelCnn().train(context);
            double pixelSeconds = (System.nanoTime() - t0) / 1e9;
            double pixelNll = Comparison.meanNll(pixelCnn, test, s.nllImages(), manager);
            files.add(ModelStore.save(pixelCnn, run.root().resolve("model-pixelcnn")));
            long g0 = System.nanoTime();
            files.add(grid(pixelCnn, 64, run.image("pixelcnn-samples.png"), manager));
            double gridSeconds = (System.nanoTime() - g0) / 1e9;
            double[] speed = samplerSpeed(pixelCnn, s.speedImages(), manager);
            metrics.put("pixelcnn.testNll", pixelNll);
            metrics.put("pixelcnn.trainSeconds", pixelSeconds);
            metrics.put("pixelcnn.naiveSecondsPerImage", speed[0]);
            metrics.put("pixelcnn.bandedSecondsPerImage", speed[1]);
            metrics.put("pixelcnn.rowCachedSecondsPerImage", speed[2]);
            metrics.put("pixelcnn.rowCachedDifferingPixels", speed[3]);
            metrics.put("pixelcnn.pixelCachedSecondsPerImage", speed[4]);
            metrics.put("pixelcnn.pixelCachedDifferingPixels", speed[5]);
            report.append("## PixelCNN\n\n").append(String.format(Locale.ROOT,
                    "Gated PixelCNN (%s): test NLL **%.2f nats** per image (%.4f bits/dim, exact); training %.0f s.%n%n"
                            + "![PixelCNN samples](images/pixelcnn-samples.png)%n%n"
                            + "64 samples in %.1f s with the pixel-cached sampler (per row the vertical stack on the row "
                            + "just drawn, per pixel each horizontal layer at the pixel's column from the activations kept "
                            + "from the pixels to its left). On %d image(s): naive sampler (whole image every pixel) %.2f s "
                            + "per image, banded (the %d rows a pixel can see) %.2f s, the same images (same seed); "
                            + "row-cached (the horizontal stack on the pixel's row) %.3f s, %d pixel(s) different from the "
                            + "naive images (rounding); pixel-cached %.4f s, %d pixel(s) different.%n%n",
                    pixelCnn.spec().config(), pixelNll, Likelihoods.bitsPerDim(pixelNll, train.imageSize(), 1.0),
                    pixelSeconds, gridSeconds, s.speedImages(), speed[0], pixelCnn.spec().config().rowsAbove() + 1,
                    speed[1], speed[2], (int) speed[3], speed[4], (int) speed[5]));
            double partOne = (System.nanoTime() - start) / 1e9;

            // WaveNet
            AutoregressiveTopicAudio.Outcome audio = AutoregressiveTopicAudio.run(s.audio(), topicRun, s.seed());
            files.addAll(audio.files());
            WaveNetConfig w = s.audio().config();
            metrics.put("wavenet.testNatsPerSample", audio.testNatsPerSample());
            metrics.put("wavenet.naiveSeconds", audio.naiveSeconds());
            metrics.put("wavenet.cachedSeconds", audio.cachedSeconds());
            metrics.put("wavenet.identical", audio.identical() ? 1.0 : 0.0);
            metrics.put("wavenet.naiveLongSeconds", audio.naiveLongSeconds());
            metrics.put("wavenet.cachedLongSeconds", audio.cachedLongSeconds());
            metrics.put("wavenet.identicalLong", audio.identicalLong() ? 1.0 : 0.0);
            report.append("## WaveNet\n\n").append(String.format(Locale.ROOT,
                    "WaveNet (%s) on mixtures of two sines (110–440 Hz, %d Hz): receptive field **%d samples** "
                            + "(%.1f ms); held-out NLL %.3f nats per sample (μ-law classes, exact); training %.0f s."
                            + "%n%nGeneration of %d samples: naive %.2f s, cached %.2f s (**%.1f× faster**); the two "
                            + "generators drew %s. Generation of %d samples: naive %.2f s, cached %.2f s (**%.1f× "
                            + "faster**), %s.%n%n"
                            + "![waveforms](images/wavenet-waveform.png)%n%n"
                            + "![spectrogram of a sample](images/wavenet-spectrogram.png) "
                            + "![spectrogram of a training clip](images/wavenet-spectrogram-training.png)%n%n"
                            + "Audio: `images/wavenet-sample.wav`, `images/wavenet-training-clip.wav`.%n%n",
                    w, s.audio().sampleRate(), w.receptiveField(), 1000.0 * w.receptiveField() / s.audio().sampleRate(),
                    audio.testNatsPerSample(), audio.trainSeconds(), s.audio().speedSamples(), audio.naiveSeconds(),
                    audio.cachedSeconds(), audio.naiveSeconds() / audio.cachedSeconds(),
                    audio.identical() ? "identical samples" : "different samples (float rounding flipped a draw)",
                    s.audio().longSpeedSamples(), audio.naiveLongSeconds(), audio.cachedLongSeconds(),
                    audio.naiveLongSeconds() / audio.cachedLongSeconds(),
                    audio.identicalLong() ? "identical samples" : "different samples (float rounding flipped a draw)"));
            double threeModels = (System.nanoTime() - start) / 1e9;
            metrics.put("threeModelsSeconds", threeModels);

            report.append(String.format(Locale.ROOT, "Wall time of the three models: %.0f s (MADE and PixelCNN "
                    + "%.0f s). The comparison of every family on the same images is its own run: `gen4j compare`.%n",
                    threeModels, partOne));
        }
        run.writeReport(report.toString());
        files.add(run.reportFile());
        return new TopicResult(run.root(), metrics, files);
    }

    private static Path grid(GenerativeModel model, int n, Path file, NDManager manager) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            Engine.getInstance().setRandomSeed(17);
            NDArray x = model.sample(scope, n, SampleOptions.defaults());
            ImageGrid.writePng(x, PixelRange.ZERO_ONE, 8, 2, file);
        }
        return file;
    }

    /**
     * Seconds per image of the naive, the banded, the row-cached and the pixel-cached PixelCNN samplers, same seed, and
     * how many pixels the cached samplers' images differ in from the naive ones (their matrix products round
     * differently from the convolutions, which can move a draw whose uniform number falls within rounding of its
     * probability).
     */
    private static double[] samplerSpeed(PixelCnnModel model, int n, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            Engine.getInstance().setRandomSeed(5);
            long a = System.nanoTime();
            float[] naive = model.sample(scope, n, SampleOptions.defaults(), PixelCnnSampler.NAIVE).toFloatArray();
            double naiveSeconds = (System.nanoTime() - a) / 1e9 / n;
            Engine.getInstance().setRandomSeed(5);
            long b = System.nanoTime();
            float[] banded = model.sample(scope, n, SampleOptions.defaults(), PixelCnnSampler.BANDED).toFloatArray();
            double bandedSeconds = (System.nanoTime() - b) / 1e9 / n;
            if (!java.util.Arrays.equals(naive, banded)) {
                throw new IllegalStateException("the banded sampler drew other images than the naive one");
            }
            Engine.getInstance().setRandomSeed(5);
            long c = System.nanoTime();
            float[] cached = model.sample(scope, n, SampleOptions.defaults(), PixelCnnSampler.ROW_CACHED)
                    .toFloatArray();
            double cachedSeconds = (System.nanoTime() - c) / 1e9 / n;
            Engine.getInstance().setRandomSeed(5);
            long d = System.nanoTime();
            float[] pixel = model.sample(scope, n, SampleOptions.defaults(), PixelCnnSampler.PIXEL_CACHED)
                    .toFloatArray();
            double pixelSeconds = (System.nanoTime() - d) / 1e9 / n;
            return new double[] {naiveSeconds, bandedSeconds, cachedSeconds, differing(naive, cached, "row-cached"),
                pixelSeconds, differing(naive, pixel, "pixel-cached")};
        }
    }

    /** Pixels in which a cached sampler's images differ from the naive one's; more than 1 % is an error. */
    private static int differing(float[] naive, float[] cached, String sampler) {
        int differing = 0;
        for (int i = 0; i < naive.length; i++) {
            differing += naive[i] == cached[i] ? 0 : 1;
        }
        if (differing > naive.length / 100) {
            throw new IllegalStateException("the " + sampler + " sampler drew other images than the naive one ("
                    + differing + " of " + naive.length + " pixels)");
        }
        return differing;
    }

    /** The masks of a small MADE, natural and random order, as one PNG. */
    private static Path masksFigure(Path file) throws IOException {
        int d = 8;
        int scale = 12;
        List<float[][]> panels = new ArrayList<>();
        for (MadeOrdering ordering : new MadeOrdering[] {MadeOrdering.NATURAL, MadeOrdering.RANDOM}) {
            Made made = new Made(new MadeConfig(d, 12, 2, MadeOutput.BERNOULLI, 1, ordering, 1, 3));
            float[][] m1 = matrix(made.mask(0, 0), 12, d);
            float[][] m2 = matrix(made.mask(0, 1), 12, 12);
            float[][] m3 = matrix(made.mask(0, 2), d, 12);
            panels.add(m1);
            panels.add(m2);
            panels.add(m3);
            panels.add(binary(multiply(m3, multiply(m2, m1))));
        }
        int width = 0;
        int height = 0;
        for (float[][] p : panels) {
            width += (p[0].length + 2) * scale;
            height = Math.max(height, p.length * scale);
        }
        BufferedImage img = new BufferedImage(width + scale * 4, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width + scale * 4; c++) {
                img.getRaster().setSample(c, r, 0, 150); // grey background between the panels
            }
        }
        int x0 = 0;
        for (int i = 0; i < panels.size(); i++) {
            float[][] p = panels.get(i);
            for (int r = 0; r < p.length * scale; r++) {
                for (int c = 0; c < p[0].length * scale; c++) {
                    int v = p[r / scale][c / scale] > 0 ? 255 : 0; // white: connected, black: masked
                    img.getRaster().setSample(x0 + c, r, 0, v);
                }
            }
            x0 += (p[0].length + 2) * scale + (i == 3 ? scale * 4 : 0);
        }
        ImageGrid.writePng(img, file);
        return file;
    }

    private static float[][] matrix(float[] m, int rows, int cols) {
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(m, r * cols, out[r], 0, cols);
        }
        return out;
    }

    private static float[][] multiply(float[][] a, float[][] b) {
        float[][] out = new float[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    private static float[][] binary(float[][] m) {
        for (float[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] = row[j] > 0 ? 1 : 0;
            }
        }
        return m;
    }
}
