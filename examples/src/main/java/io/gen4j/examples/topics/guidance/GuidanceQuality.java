package io.gen4j.examples.topics.guidance;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.Condition;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.DensityCoverage;
import io.gen4j.eval.FeatureExtraction;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import io.gen4j.eval.ImageSet;
import io.gen4j.eval.ImageSets;
import io.gen4j.eval.InceptionScore;
import io.gen4j.eval.InceptionScoreConfig;
import io.gen4j.eval.Kid;
import io.gen4j.eval.KidConfig;
import io.gen4j.eval.MeanStd;
import io.gen4j.eval.PrecisionRecall;

/**
 * The metrics of topic 11-07 for class-conditional samples, in the features of gen-eval's in-project
 * CNN classifier: FID against the test images, KID (Bińkowski et al., cubic polynomial kernel, the
 * mean and std over gen-eval's default seeded subsets), Inception Score from the classifier's class
 * probabilities, precision and recall (Kynkäänniemi et al., k = 3), density and coverage (Naeem et
 * al. 2020, k = 5) and the classifier's accuracy on the requested classes. Every measurement
 * re-seeds the engine, so every sampler and guidance scale starts from the same noise and asks for
 * the same labels (i mod K for sample i).
 */
final class GuidanceQuality {

    /**
     * One measurement.
     *
     * @param fid FID against the reference test images
     * @param inceptionScore IS (mean over splits)
     * @param precision precision
     * @param recall recall
     * @param accuracy the classifier's accuracy on the requested classes
     * @param nfe network evaluations per sample
     * @param seconds wall time of sampling
     * @param kid KID, mean over subsets
     * @param kidStd its std over subsets
     * @param density density (Naeem et al.; 1 for matching laws, above 1 for samples crowded in dense
     *     real regions)
     * @param coverage coverage: the share of real neighbourhoods that hold a sample
     */
    record Result(double fid, double inceptionScore, double precision, double recall, double accuracy, int nfe,
            double seconds, double kid, double kidStd, double density, double coverage) {

        /** The CSV columns of {@link #csv()}. */
        static final String CSV_HEADER = "nfe,fid,kid,kid_std,is,precision,recall,density,coverage,accuracy,seconds";

        /** @return the values in the order of {@link #CSV_HEADER} */
        String csv() {
            return String.format(java.util.Locale.ROOT, "%d,%.4f,%.6f,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.1f", nfe, fid,
                    kid, kidStd, inceptionScore, precision, recall, density, coverage, accuracy, seconds);
        }
    }

    private final ImageDataset test;
    private final CnnFeatureExtractor cnn;
    private final int samples;
    private final long seed;
    private final Features real;
    private final int classes;
    private final double floor;
    private final int reference;

    GuidanceQuality(ImageDataset train, ImageDataset test, CnnFeatureExtractor cnn, int samples, long seed,
            NDManager manager) {
        this.test = test;
        this.cnn = cnn;
        this.samples = samples;
        this.seed = seed;
        this.classes = train.numClasses();
        this.reference = Math.min(1000, test.size());
        this.real = FeatureExtraction.features(cnn, ImageSets.fromDataset(test.subset(0, reference)).images(), 100,
                manager);
        ImageSet floorSet = ImageSets.fromDataset(train.subset(0, Math.min(samples, train.size()))).images();
        this.floor = Fid.compute(real, FeatureExtraction.features(cnn, floorSet, 100, manager), manager);
    }

    /** @return FID of as many training images as samples against the same reference (real-vs-real floor) */
    double floor() {
        return floor;
    }

    /** @return the number of reference test images */
    int reference() {
        return reference;
    }

    /**
     * Samples {@code samples} images in chunks of 100 and measures them.
     *
     * @param model the (possibly guided) model
     * @param sampler the sampler
     * @param grid its grid
     * @param manager scratch
     * @return the metrics
     */
    Result measure(DiffusionModel model, Sampler sampler, TimeGrid grid, NDManager manager) {
        int size = test.imageSize();
        byte[] pixels = new byte[samples * size];
        int[] labels = new int[samples];
        Engine.getInstance().setRandomSeed((int) (seed & Integer.MAX_VALUE));
        long t0 = System.nanoTime();
        int nfe = 0;
        try (NDManager scope = manager.newSubManager()) {
            for (int done = 0; done < samples; done += 100) {
                int m = Math.min(100, samples - done);
                try (NDManager chunk = scope.newSubManager()) {
                    int[] y = new int[m];
                    for (int i = 0; i < m; i++) {
                        y[i] = (done + i) % classes;
                        labels[done + i] = y[i];
                    }
                    NDArray xT = chunk.randomNormal(new Shape(m, test.channels(), test.height(), test.width()));
                    SamplerResult r = sampler.sample(model, xT, grid, Condition.labels(chunk.create(y)), false);
                    nfe = r.steps();
                    float[] v = r.samples().toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        pixels[done * size + i] = (byte) PixelRange.MINUS_ONE_ONE.toPixel(v[i]);
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            ImageSet generated = new ImageSet(samples, test.channels(), test.height(), test.width(), pixels);
            Features fake = FeatureExtraction.features(cnn, generated, 100, scope);
            double fid = Fid.compute(real, fake, scope);
            PrecisionRecall.Result pr = PrecisionRecall.compute(fake, real, scope);
            Features probs = FeatureExtraction.classProbabilities(cnn, generated, 100, scope);
            double is = InceptionScore.fromProbabilities(probs, InceptionScoreConfig.defaults()).mean();
            double accuracy = CnnFeatureExtractor.accuracy(probs, labels);
            MeanStd kid = Kid.compute(real, fake, KidConfig.defaults(), scope);
            DensityCoverage.Result dc = DensityCoverage.compute(fake, real, scope);
            return new Result(fid, is, pr.precision(), pr.recall(), accuracy, nfe, seconds, kid.mean(), kid.std(),
                    dc.density(), dc.coverage());
        }
    }
}
