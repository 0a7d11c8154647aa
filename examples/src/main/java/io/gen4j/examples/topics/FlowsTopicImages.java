package io.gen4j.examples.topics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetNotFoundException;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.core.io.ModelStore;
import io.gen4j.flows.MaximumLikelihoodObjective;
import io.gen4j.flows.RealNvpModel;
import io.gen4j.flows.RealNvpSpec;
import io.gen4j.flows.NormalizingFlow;
import io.gen4j.flows.RealNvp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The image half of topic 11-08: a multi-scale RealNVP on MNIST-like digits, in bits/dim. */
final class FlowsTopicImages {

    private static final Logger LOG = LoggerFactory.getLogger(FlowsTopicImages.class);

    private FlowsTopicImages() {}

    /**
     * Sizes of the image run.
     *
     * @param preset the flow and its training (steps, batch, schedule, clip), from {@link
     *     RealNvp.Presets} at the CPU and GPU profiles
     * @param testImages test images for bits/dim
     * @param temperatures sampling temperatures
     * @param syntheticIfMissing whether to fall back to synthetic images when no dataset is found
     */
    record Settings(
            RealNvp.ImagePreset preset, int testImages,
            List<Double> temperatures, boolean syntheticIfMissing) {}

    /**
     * The data used and a sentence that says which.
     *
     * @param train training images
     * @param test test images
     * @param note what was used and why
     */
    record Data(ImageDataset train, ImageDataset test, String note) {}

    /**
     * What the image run measured.
     *
     * @param dataset the dataset name
     * @param note which data were used and why
     * @param testBitsPerDim mean bits/dim of the test images (dequantized, so a bound on the discrete
     *     likelihood)
     * @param testNll mean NLL in nats per image
     * @param reconstructionError max |decode(encode(x)) − x| over test images (exact invertibility)
     * @param seconds wall time of the training
     * @param files the figures
     */
    record Outcome(
            String dataset, String note, double testBitsPerDim, double testNll, double reconstructionError,
            double seconds, List<Path> files) {}

    static Data load(TopicOptions options, boolean syntheticIfMissing) throws IOException {
        try {
            TopicData d = TopicData.load(DatasetId.MNIST, DatasetId.FASHION_MNIST, options.dataPath());
            return new Data(d.train(), d.test(), d.note());
        } catch (DatasetNotFoundException missing) {
            if (!syntheticIfMissing) {
                throw missing;
            }
            String note = "Neither MNIST nor Fashion-MNIST was found; this smoke run uses synthetic 28x28 blobs.";
            LOG.info(note);
            return new Data(synthetic(256, 1), synthetic(64, 2), note);
        }
    }

    /** Gray discs of random position and radius on black, 28x28, as 8-bit images. */
    private static ImageDataset synthetic(int n, long seed) {
        Random rng = new Random(seed);
        byte[] pixels = new byte[n * 28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double cx = 8 + 12 * rng.nextDouble();
            double cy = 8 + 12 * rng.nextDouble();
            double r = 3 + 5 * rng.nextDouble();
            int value = 128 + rng.nextInt(128);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                        pixels[i * 784 + y * 28 + x] = (byte) value;
                    }
                }
            }
        }
        return new ImageDataset("synthetic-discs", 1, 28, 28, pixels, labels, List.of("disc"));
    }

    static Outcome run(Data data, Settings s, TopicRun topicRun, long seed) throws IOException {
        RunDirectory run = topicRun.directory();
        List<Path> files = new ArrayList<>();
        String name = data.train().name();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed);
            RealNvp.ImageConfig model = s.preset().model();
            TrainingRecipe training = s.preset().training();
            NormalizingFlow flow = RealNvp.image(model);
            Shape batchShape = new Shape(training.batchSize(), 1, model.height(), model.width());
            flow.initialize(manager, DataType.FLOAT32, batchShape);
            try (NDManager init = manager.newSubManager()) {
                int n = Math.min(s.preset().initializationImages(), data.train().size());
                int[] idx = new Random(Seeds.derive(seed, 1)).ints(n, 0, data.train().size()).toArray();
                flow.initializeFromData(data.train().toNDArray(init, idx, PixelRange.ZERO_ONE));
            }
            Path csv = run.root().resolve("metrics-images.csv");
            long t0 = System.nanoTime();
            ObjectiveStep step = training.step(new MaximumLikelihoodObjective(flow)).optName("flow").build();
            topicRun.fit("realnvp-images", step,
                    data.train().batches(training.batchSize(), Seeds.derive(seed, 2), true, PixelRange.ZERO_ONE),
                    manager, training.steps(), seed, csv, List.of());
            files.add(ModelStore.save(new RealNvpModel(RealNvpSpec.image(model), flow), run.root().resolve("model"))
                    .resolve(ModelStore.SPEC_FILE));
            double seconds = (System.nanoTime() - t0) / 1e9;
            files.add(csv);

            int nTest = Math.min(s.testImages(), data.test().size());
            double sumLogLik = 0;
            double worstReconstruction = 0;
            for (int from = 0; from < nTest; from += 100) {
                int m = Math.min(100, nTest - from);
                int[] idx = new int[m];
                for (int i = 0; i < m; i++) {
                    idx[i] = from + i;
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = data.test().toNDArray(scope, idx, PixelRange.ZERO_ONE);
                    sumLogLik += flow.logLikelihood(x).sum().toType(DataType.FLOAT64, false).getDouble();
                    NDArray back = flow.decode(flow.encode(x));
                    worstReconstruction = Math.max(worstReconstruction,
                            back.sub(x).abs().max().toType(DataType.FLOAT64, false).getDouble());
                }
            }
            double dims = model.dims();
            double testNll = -sumLogLik / nTest;
            // the flow's UniformDequantization already adds −D·log 256: bin width 1, no further offset
            double bpd = Likelihoods.bitsPerDim(testNll, (long) dims, 1.0);

            files.add(samples(flow, manager, s.temperatures(), run));
            files.add(latents(flow, manager, data.test(), run));
            Path curve = run.image("images-bits-per-dim.png");
            TopicRun.metricCurve(csv, "bitsPerDim",
                    PlotSpec.of("RealNVP: training bits/dim").withLabels("step", "bits/dim"), false, curve);
            files.add(curve);
            return new Outcome(name, data.note(), bpd, testNll, worstReconstruction, seconds, files);
        }
    }

    private static Path samples(NormalizingFlow flow, NDManager manager, List<Double> temperatures, RunDirectory run)
            throws IOException {
        List<Path> rows = new ArrayList<>();
        for (double t : temperatures) {
            Path p = run.image(String.format(java.util.Locale.ROOT, "images-samples-T%.2f.png", t));
            try (NDManager scope = manager.newSubManager()) {
                ImageGrid.writePng(flow.sample(scope, 10, t), PixelRange.ZERO_ONE, 10, 2, p);
            }
            rows.add(p);
        }
        Path out = run.image("images-samples-by-temperature.png");
        FlowsTopicFigures.join(rows, 1, 3, out);
        return out;
    }

    /** Test images (top row) and their latents z = f(x), shown as (z + 3)/6 clipped to [0, 1] (bottom). */
    private static Path latents(NormalizingFlow flow, NDManager manager, ImageDataset test, RunDirectory run)
            throws IOException {
        Path out = run.image("images-latents.png");
        try (NDManager scope = manager.newSubManager()) {
            int n = Math.min(10, test.size());
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            NDArray x = test.toNDArray(scope, idx, PixelRange.ZERO_ONE);
            NDArray z = Scalars.clip(Scalars.dividedBy(flow.encode(x).add(3), 6), 0, 1);
            Path grid = run.image("images-latents-grid.png");
            ImageGrid.writePng(x.concat(z, 0), PixelRange.ZERO_ONE, n, 2, grid);
            FlowsTopicFigures.join(List.of(grid), 1, 3, out);
        }
        return out;
    }
}
