package io.gen4j.examples.topics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.ChunkedLikelihoodModel;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.FeatureExtraction;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import io.gen4j.eval.ImageSet;
import io.gen4j.eval.ImageSets;
import io.gen4j.eval.PrecisionRecall;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The comparison of every family on one dataset (topic 11-10): each registered {@link
 * ComparisonEntry} is trained with its own budget, then measured the same way through gen-core's
 * contracts only: the negative log-likelihood of the test images when the model is a {@link
 * LikelihoodModel} (exact or a bound, as {@code isExact()} says), FID and precision/recall (k = 3)
 * in the features of gen-eval's in-project classifier trained on the same binarised training set,
 * sampling time per image, parameters and training time.
 *
 * <p><b>One scale for every likelihood.</b> Every {@link LikelihoodModel} of this repository
 * reports log P of the <i>discrete</i> image in nats: MADE and PixelCNN of the binary image
 * exactly, the VAE a lower bound (IWAE) on it, RealNVP (bins of its dequantisation included) and
 * DDPM (discretised decoder) lower bounds on log P of the 8-bit image. A binary image is an 8-bit
 * image whose pixels are 0 or 255, so all five are (bounds on) the probability the model gives the
 * same discrete object; the models over 256 levels simply spend mass on grey levels the data never
 * have. {@code ComparisonScaleTest} checks this against Gibbs' inequality on data of known entropy.
 */
public final class Comparison {

    /**
     * One row of the table.
     *
     * @param name the entry
     * @param model the model's class
     * @param likelihood {@code exact}, {@code bound} or {@code none}
     * @param nllNats mean −log p per test image in nats (NaN when none)
     * @param bitsPerDim the same per pixel in bits (NaN when none)
     * @param fid FID against the test images
     * @param precision precision (k = 3)
     * @param recall recall (k = 3)
     * @param secondsPerImage wall time of sampling, per image
     * @param parameters number of parameters
     * @param trainSeconds wall time of the training
     */
    public record Row(String name, String model, String likelihood, double nllNats, double bitsPerDim, double fid,
            double precision, double recall, double secondsPerImage, long parameters, double trainSeconds) {}

    /**
     * Sizes of the measurements.
     *
     * @param nllImages test images whose NLL is averaged
     * @param samples samples per model for FID and precision/recall (and as many training images for
     *     the floor)
     */
    public record Settings(int nllImages, int samples) {}

    /**
     * The table and its figures.
     *
     * @param rows one per entry, in order
     * @param fidFloor FID of as many training images as samples (real vs real)
     * @param floorPrecision precision of those training images
     * @param floorRecall recall of those training images
     * @param figure the samples side by side, one row per model
     */
    public record Outcome(List<Row> rows, double fidFloor, double floorPrecision, double floorRecall, Path figure) {

        /** @return the table in markdown */
        public String table() {
            StringBuilder b = new StringBuilder();
            b.append("| model | likelihood | NLL (nats/image) | bits/dim | FID | precision | recall | ")
                    .append("sampling (ms/image) | parameters | training (s) |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (Row r : rows) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.3f | %.3f | %.1f | %d | %.0f |%n",
                        r.name(), r.likelihood(), Double.isNaN(r.nllNats()) ? "—" : String.format(Locale.ROOT, "%.1f",
                                r.nllNats()),
                        Double.isNaN(r.bitsPerDim()) ? "—" : String.format(Locale.ROOT, "%.4f", r.bitsPerDim()),
                        r.fid(), r.precision(), r.recall(), 1000 * r.secondsPerImage(), r.parameters(),
                        r.trainSeconds()));
            }
            b.append(String.format(Locale.ROOT, "| (training images) | — | — | — | %.2f | %.3f | %.3f | — | — | — |%n",
                    fidFloor, floorPrecision, floorRecall));
            return b.toString();
        }
    }

    private Comparison() {}

    /** @return every registered entry, by order then name */
    public static List<ComparisonEntry> entries() {
        List<ComparisonEntry> list = new ArrayList<>();
        ServiceLoader.load(ComparisonEntry.class).forEach(list::add);
        list.sort(Comparator.comparingInt(ComparisonEntry::order).thenComparing(ComparisonEntry::name));
        return list;
    }

    /**
     * Binarises images: pixels &gt;= 128 become 255, the others 0.
     *
     * @param d 8-bit images
     * @return the binary images (same labels)
     */
    public static ImageDataset binarise(ImageDataset d) {
        byte[] p = d.pixelBytes().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) ((p[i] & 0xff) >= 128 ? 255 : 0);
        }
        return new ImageDataset(d.name() + "-binarised", d.channels(), d.height(), d.width(), p, d.labels(),
                d.classNames());
    }

    /**
     * The data both runs of 11-10 (the topic and {@code compare}) use: FashionMNIST (MNIST as the
     * fallback, or the user's folder) cut to the profile's sizes and binarised at 128.
     *
     * @param data the loaded data (its note goes into the report)
     * @param train binarised training images
     * @param test binarised test images
     */
    public record BinarisedData(TopicData data, ImageDataset train, ImageDataset test) {

        /**
         * Loads and binarises.
         *
         * @param dataPath the user's data, if any
         * @param trainImages training images to keep (0: all)
         * @param testImages test images to keep (0: all)
         * @return the binarised data
         * @throws IOException if the data cannot be read
         */
        public static BinarisedData load(java.util.Optional<Path> dataPath, int trainImages, int testImages)
                throws IOException {
            TopicData data = TopicData.load(io.gen4j.core.data.DatasetId.FASHION_MNIST,
                    io.gen4j.core.data.DatasetId.MNIST, dataPath).subset(trainImages, testImages);
            return new BinarisedData(data, binarise(data.train()), binarise(data.test()));
        }

        /**
         * The report's opening: title, profile, seed and the data's note.
         *
         * @param title the report's title, after "# 11-10 "
         * @param profile the run's profile
         * @param seed the run's seed
         * @return Markdown ending with a blank line
         */
        public String reportHeader(String title, Profile profile, long seed) {
            return "# 11-10 " + title + "\n\nProfile `" + profile.name().toLowerCase(Locale.ROOT) + "`, seed " + seed
                    + ". " + data.note() + " Pixels binarised at 128. Wall times were measured on a machine shared "
                    + "with other jobs.\n\n";
        }
    }

    /**
     * Mean −log p of test images in nats, through the {@link LikelihoodModel} contract.
     *
     * @param model the model (its spec's pixel range maps the 8-bit pixels)
     * @param test the images
     * @param n how many (the first ones)
     * @param manager scratch
     * @return nats per image
     */
    public static double meanNll(GenerativeModel model, ImageDataset test, int n, NDManager manager) {
        LikelihoodModel lm = (LikelihoodModel) model;
        PixelRange range = model.spec().data().pixels();
        int[] idx = new int[Math.min(n, test.size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = test.toNDArray(scope, idx, range);
            double sum = 0;
            for (double ll : new ChunkedLikelihoodModel(lm, 50).logLikelihoods(x)) {
                sum -= ll;
            }
            return sum / idx.length;
        }
    }

    /**
     * Trains (or takes) and measures every entry.
     *
     * @param context the shared data and run
     * @param test the binarised test images
     * @param entries the entries
     * @param trained models trained earlier in the run, by entry name, with their training seconds
     * @param settings sizes
     * @return the table
     * @throws IOException when a file cannot be written
     */
    public static Outcome run(ComparisonContext context, ImageDataset test, List<ComparisonEntry> entries,
            Map<String, Pair<GenerativeModel, Double>> trained, Settings settings) throws IOException {
        ImageDataset train = context.train();
        String dataset = "fashion-mnist-binarised";
        Path classifierFile = SampleQuality.classifierFile(dataset, train);
        List<Row> rows = new ArrayList<>();
        List<byte[]> firstSamples = new ArrayList<>();
        int n = Math.min(settings.samples(), train.size());
        try (NDManager scope = context.manager().newSubManager();
                CnnFeatureExtractor cnn = SampleQuality.classifier(classifierFile, dataset, train, scope)) {
            ImageSet real = ImageSets.fromDataset(test.subset(0, Math.min(1000, test.size()))).images();
            Features realF = FeatureExtraction.features(cnn, real, 100, scope);
            Features floorF = FeatureExtraction.features(cnn, ImageSets.fromDataset(train.subset(0, n)).images(), 100,
                    scope);
            double floor = Fid.compute(realF, floorF, scope);
            PrecisionRecall.Result floorPr = PrecisionRecall.compute(floorF, realF, scope);
            for (ComparisonEntry entry : entries) {
                GenerativeModel model;
                double trainSeconds;
                if (trained.containsKey(entry.name())) {
                    model = trained.get(entry.name()).getKey();
                    trainSeconds = trained.get(entry.name()).getValue();
                } else {
                    long t0 = System.nanoTime();
                    model = entry.train(context);
                    trainSeconds = (System.nanoTime() - t0) / 1e9;
                }
                String kind = model instanceof LikelihoodModel lm ? (lm.isExact() ? "exact" : "bound") : "none";
                Engine.getInstance().setRandomSeed((int) (context.seedFor(entry.name() + "-eval") & 0x7fffffff));
                double nll = kind.equals("none") ? Double.NaN : meanNll(model, test, settings.nllImages(), scope);
                double bpd = Double.isNaN(nll) ? Double.NaN : Likelihoods.bitsPerDim(nll, train.imageSize(), 1.0);
                long t0 = System.nanoTime();
                byte[] pixels = samplePixels(model, n, scope);
                double perImage = (System.nanoTime() - t0) / 1e9 / n;
                firstSamples.add(java.util.Arrays.copyOf(pixels, 8 * train.imageSize()));
                ImageSet generated = new ImageSet(n, 1, train.height(), train.width(), pixels);
                Features genF = FeatureExtraction.features(cnn, generated, 100, scope);
                double fid = Fid.compute(realF, genF, scope);
                PrecisionRecall.Result pr = PrecisionRecall.compute(genF, realF, scope);
                rows.add(new Row(entry.name(), model.getClass().getSimpleName(), kind, nll, bpd, fid, pr.precision(),
                        pr.recall(), perImage, parameters(model), trainSeconds));
            }
            Path figure = context.run().directory().image("comparison-samples.png");
            float[] grid = new float[firstSamples.size() * 8 * train.imageSize()];
            int at = 0;
            for (byte[] s : firstSamples) {
                for (byte b : s) {
                    grid[at++] = (b & 0xff) / 255f;
                }
            }
            ImageGrid.writePng(ImageGrid.render(grid, new Shape(firstSamples.size() * 8L, 1, train.height(),
                    train.width()), PixelRange.ZERO_ONE, firstSamples.size(), 8, 2), figure);
            return new Outcome(rows, floor, floorPr.precision(), floorPr.recall(), figure);
        }
    }

    private static byte[] samplePixels(GenerativeModel model, int n, NDManager manager) {
        PixelRange range = model.spec().data().pixels();
        int size = (int) model.spec().data().size();
        byte[] pixels = new byte[n * size];
        for (int done = 0; done < n; done += 100) {
            int k = Math.min(100, n - done);
            try (NDManager chunk = manager.newSubManager()) {
                float[] v = model.sample(chunk, k, SampleOptions.defaults()).toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    pixels[done * size + i] = (byte) range.toPixel(v[i]);
                }
            }
        }
        return pixels;
    }

    /**
     * @param model a model
     * @return the number of numbers in its parameters
     */
    public static long parameters(GenerativeModel model) {
        long total = 0;
        for (Pair<String, Parameter> p : model.network().getParameters()) {
            total += p.getValue().getArray().size();
        }
        return total;
    }
}
