package io.gen4j.examples.topics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.FeatureExtraction;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import io.gen4j.eval.ImageSet;
import io.gen4j.eval.ImageSets;
import io.gen4j.eval.PrecisionRecall;

/**
 * Image metrics of a model's samples in the in-project classifier's features (gen-eval): FID,
 * precision/recall (Kynkäänniemi et al. 2019, k = 3), the entropy of the classifier's predicted-class
 * histogram (log K when every class is produced equally often, lower when modes are dropped), and,
 * for conditional samples, the classifier's accuracy on the intended classes and the FID per class.
 */
final class GansTopicMetrics {

    /** Fewest test images (and samples) of a class for its per-class FID: a covariance needs two. */
    static final int MIN_PER_CLASS = 2;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GansTopicMetrics.class);

    /**
     * @param fid FID against the test images
     * @param precision precision (fidelity)
     * @param recall recall (diversity)
     * @param classEntropy entropy of the predicted-class histogram, nats
     * @param classAccuracy accuracy of the classifier on the intended classes (NaN when unconditional)
     * @param perClassFid FID of each class's samples against that class's test images (null when
     *     unconditional; NaN for a class with fewer than {@link #MIN_PER_CLASS} test images)
     * @param samples number of samples
     */
    record Result(double fid, double precision, double recall, double classEntropy, double classAccuracy,
            double[] perClassFid, int samples) {}

    private GansTopicMetrics() {}

    /**
     * Draws n samples (cycling through the classes for a conditional model) and measures them.
     *
     * @param model the model
     * @param conditional whether to cycle through labels and report accuracy and per-class FID
     * @param test the test images (the reference)
     * @param cnn the classifier
     * @param n samples (a multiple of the number of classes for per-class FID)
     * @param seed seeds the engine before sampling
     * @param manager scratch
     * @return the metrics
     */
    static Result measure(GenerativeModel model, boolean conditional, ImageDataset test, CnnFeatureExtractor cnn, int n,
            long seed, NDManager manager) {
        PixelRange range = model.spec().data().pixels();
        int k = test.numClasses();
        int size = test.imageSize();
        byte[] pixels = new byte[n * size];
        int[] intended = SampleOptions.defaults().labels(n, k);
        Engine.getInstance().setRandomSeed((int) (seed & Integer.MAX_VALUE));
        try (NDManager scope = manager.newSubManager()) {
            for (int done = 0; done < n; done += 100) {
                int m = Math.min(100, n - done);
                try (NDManager chunk = scope.newSubManager()) {
                    // label -1 cycles through the classes from 0; chunks of 100 keep the cycle aligned when K = 10
                    NDArray x = model.sample(chunk, m, SampleOptions.defaults());
                    float[] v = x.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        pixels[done * size + i] = (byte) range.toPixel(v[i]);
                    }
                }
            }
            ImageSet generated = new ImageSet(n, test.channels(), test.height(), test.width(), pixels);
            int reference = Math.min(2000, test.size());
            ImageSet real = ImageSets.fromDataset(test.subset(0, reference)).images();
            Features realF = FeatureExtraction.features(cnn, real, 100, scope);
            Features fakeF = FeatureExtraction.features(cnn, generated, 100, scope);
            double fid = Fid.compute(realF, fakeF, scope);
            PrecisionRecall.Result pr = PrecisionRecall.compute(fakeF, realF, scope);
            Features probs = FeatureExtraction.classProbabilities(cnn, generated, 100, scope);
            double[] histogram = new double[k];
            for (int i = 0; i < n; i++) {
                histogram[argmax(probs.row(i))]++;
            }
            double entropy = 0;
            for (double h : histogram) {
                if (h > 0) {
                    entropy -= h / n * Math.log(h / n);
                }
            }
            double accuracy = Double.NaN;
            double[] perClass = null;
            if (conditional) {
                accuracy = CnnFeatureExtractor.accuracy(probs, intended);
                perClass = perClassFid(realF, test.subset(0, reference).labels(), fakeF, intended, k, scope);
            }
            return new Result(fid, pr.precision(), pr.recall(), entropy, accuracy, perClass, n);
        }
    }

    /**
     * The FID of each class's samples against that class's test images. A class with fewer than
     * {@link #MIN_PER_CLASS} test images or samples (a small image folder's held-out split) has no
     * covariance to compare: its entry is NaN and a warning names the class and its counts.
     */
    static double[] perClassFid(Features realF, int[] realLabels, Features fakeF, int[] fakeLabels, int k,
            NDManager scope) {
        double[] perClass = new double[k];
        for (int c = 0; c < k; c++) {
            int[] real = indicesOf(realLabels, c);
            int[] fake = indicesOf(fakeLabels, c);
            if (real.length < MIN_PER_CLASS || fake.length < MIN_PER_CLASS) {
                LOG.warn("per-class FID of class {} skipped: {} test image(s) and {} sample(s), a covariance needs at "
                        + "least {} of each", c, real.length, fake.length, MIN_PER_CLASS);
                perClass[c] = Double.NaN;
            } else {
                perClass[c] = Fid.compute(realF.rows(real), fakeF.rows(fake), scope);
            }
        }
        return perClass;
    }

    /**
     * @param perClass per-class FIDs, NaN where skipped
     * @return the mean over the classes that have one, NaN when none has
     */
    static double meanOfMeasured(double[] perClass) {
        return java.util.Arrays.stream(perClass).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    static int argmax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    private static int[] indicesOf(int[] labels, int c) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == c).toArray();
    }
}
