package io.gen4j.examples.topics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.Progress;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.eval.CnnClassifierConfig;
import io.gen4j.eval.CnnClassifierTraining;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.FeatureExtraction;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import io.gen4j.eval.ImageSet;
import io.gen4j.eval.ImageSets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The quality number of a quickstart or topic report: the FID of a few hundred samples against the
 * test images in the features of gen-eval's in-project CNN classifier ({@code FID-<dataset>-cnn}),
 * next to the same FID of as many training images (the real-vs-real floor at that N).
 *
 * <p>The classifier is trained once per training set (one epoch, seed 0) and cached in {@code
 * $GEN4J_HOME/classifiers/} (default {@code ~/.gen4j}) under a name that includes a hash of its
 * training images; later runs load it. This FID is comparable between runs of this project on the
 * same data, not with published Inception FIDs.
 */
public final class SampleQuality {

    /**
     * A measured FID and its floor.
     *
     * @param name the metric's name, e.g. {@code FID-fashion-mnist-cnn}
     * @param fid FID of the samples against the test images
     * @param floor FID of as many training images against the same test images
     * @param samples number of samples (and of training images in the floor)
     * @param reference number of test images
     * @param seconds wall time of sampling and features
     * @param classifier the classifier's file ({@code eval --classifier <file>} uses the same features)
     */
    public record Result(String name, double fid, double floor, int samples, int reference, double seconds,
            Path classifier) {
        /** @return one line for a report */
        public String summary() {
            return String.format(Locale.ROOT, "%s = %.3f for %d samples against %d test images "
                    + "(real-vs-real floor at the same N: %.3f; classifier %s)", name, fid, samples, reference, floor,
                    classifier.getFileName());
        }
    }

    private SampleQuality() {}

    /**
     * Samples from a model and measures the FID.
     *
     * @param model the model (its samples must have the data's shape and pixel range)
     * @param options sampler settings
     * @param data the training and test images
     * @param samples how many samples, at least 2
     * @param seed seeds the engine right before sampling, so the number does not depend on what ran
     *     before (training the classifier the first time re-seeds the engine; loading it does not)
     * @param manager scratch manager
     * @return the FID and its floor
     * @throws IOException when the classifier cannot be read or written
     */
    public static Result fid(GenerativeModel model, SampleOptions options, TopicData data, int samples, long seed,
            NDManager manager) throws IOException {
        long t0 = System.nanoTime();
        PixelRange range = model.spec().data().pixels();
        ImageDataset train = data.train();
        ImageDataset test = data.test();
        int reference = Math.min(1000, test.size());
        int n = Math.min(samples, train.size());
        String dataset = data.datasetName();
        Path file = classifierFile(dataset, train);
        try (NDManager scope = manager.newSubManager(); CnnFeatureExtractor cnn = classifier(file, dataset, train, scope)) {
            byte[] pixels = new byte[n * train.imageSize()];
            Engine.getInstance().setRandomSeed((int) (seed & Integer.MAX_VALUE));
            int done = 0;
            Progress progress = Progress.create(System.err, "quality samples", n);
            while (done < n) {
                int k = Math.min(64, n - done);
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray x = model.sample(chunk, k, options);
                    float[] v = x.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        pixels[done * train.imageSize() + i] = (byte) range.toPixel(v[i]);
                    }
                }
                done += k;
                progress.advance(k);
            }
            progress.close();
            ImageSet generated = new ImageSet(n, train.channels(), train.height(), train.width(), pixels);
            ImageSet real = ImageSets.fromDataset(test.subset(0, reference)).images();
            ImageSet floorSet = ImageSets.fromDataset(train.subset(0, n)).images();
            Features realF = FeatureExtraction.features(cnn, real, 100, scope);
            double fid = Fid.compute(realF, FeatureExtraction.features(cnn, generated, 100, scope), scope);
            double floor = Fid.compute(realF, FeatureExtraction.features(cnn, floorSet, 100, scope), scope);
            return new Result(cnn.info().metricName("FID"), fid, floor, n, reference,
                    (System.nanoTime() - t0) / 1e9, file);
        }
    }

    /**
     * The in-project reference classifier of {@link #fid} (trained once on the training images and
     * cached), for metrics beyond the FID: precision/recall in its features, class accuracy and the
     * class histogram of samples.
     *
     * @param data the training images it is (or was) trained on
     * @param manager owns the classifier
     * @return the classifier; close it when done
     * @throws IOException when the cached classifier cannot be read or written
     */
    public static CnnFeatureExtractor referenceClassifier(TopicData data, NDManager manager) throws IOException {
        String dataset = data.datasetName();
        return classifier(classifierFile(dataset, data.train()), dataset, data.train(), manager);
    }

    static Path classifierFile(String dataset, ImageDataset train) {
        return home().resolve("classifiers").resolve(dataset + "-cnn-" + hash(train) + ".bin");
    }

    static CnnFeatureExtractor classifier(Path file, String dataset, ImageDataset train, NDManager manager)
            throws IOException {
        CnnClassifierConfig config = new CnnClassifierConfig(dataset + "-cnn", train.channels(), train.height(),
                train.width(), Math.max(2, train.numClasses()), CnnClassifierConfig.fashionMnist().conv1(),
                CnnClassifierConfig.fashionMnist().conv2(), CnnClassifierConfig.fashionMnist().featureDim());
        if (Files.isRegularFile(file)) {
            return CnnFeatureExtractor.load(file, manager);
        }
        CnnClassifierTraining training = new CnnClassifierTraining(1, 128, 1e-3, 0L);
        System.err.printf("training the reference classifier of the report's FID on %d images (once; cached in %s)%n",
                train.size(), file);
        CnnFeatureExtractor cnn = training.train(config, ImageSets.fromDataset(train).images(), train.labels(), manager,
                ProgressBar.create(System.err));
        Files.createDirectories(file.getParent());
        cnn.save(file);
        return cnn;
    }

    private static Path home() {
        String env = System.getenv("GEN4J_HOME");
        return env != null && !env.isBlank() ? Path.of(env)
                : DatasetResolver.defaults().cacheRoot().getParent();
    }

    private static String hash(ImageDataset train) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(train.pixelBytes());
            for (int label : train.labels()) {
                md.update((byte) label);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
