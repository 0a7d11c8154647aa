package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Timing of the metrics on 10k vs 10k features (d = 2048 and d = 128) and of feature extraction.
 * Not a test (surefire does not pick it up); run it with
 * {@code java -cp <test classpath> io.gen4j.eval.MetricsBenchmark [n] [dims...]}; add
 * {@code -Dgen4j.bench.inception=<file>} (from {@code make_inception_shaped_model.py}) to time the
 * Inception-v3 architecture.
 */
public final class MetricsBenchmark {

    private MetricsBenchmark() {}

    /**
     * @param args optional: N (default 10000) then feature dimensions (default 128 2048)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int[] dims = args.length > 1 ? new int[args.length - 1] : new int[] {128, 2048};
        for (int i = 1; i < args.length; i++) {
            dims[i - 1] = Integer.parseInt(args[i]);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Features warm = Managers.gaussian(200, 16, 0);
            Fid.compute(warm, warm, manager);
            for (int d : dims) {
                Features real = Managers.gaussian(n, d, 1);
                Features gen = Managers.gaussian(n, d, 2).scale(1.1);
                long t = System.nanoTime();
                GaussianStatistics s1 = GaussianStatistics.estimate(real, manager);
                GaussianStatistics s2 = GaussianStatistics.estimate(gen, manager);
                double tStats = seconds(t);
                t = System.nanoTime();
                double fid = Fid.fromStatistics(s1, s2, manager);
                double tSqrt = seconds(t);
                print("FID  d=%d N=%d: %.2f s (covariances %.2f s, trace sqrt %.2f s) value %.5f",
                        d, n, tStats + tSqrt, tStats, tSqrt, fid);
                t = System.nanoTime();
                MeanStd kid = Kid.compute(real, gen, KidConfig.defaults(), manager);
                print("KID  d=%d N=%d (100 subsets of 1000): %.2f s value %.6f", d, n, seconds(t), kid.mean());
                t = System.nanoTime();
                PrecisionRecall.Result pr = PrecisionRecall.compute(gen, real, manager);
                print("PR   d=%d N=%d (k=3): %.2f s precision %.4f recall %.4f", d, n, seconds(t), pr.precision(), pr.recall());
                t = System.nanoTime();
                DensityCoverage.Result dc = DensityCoverage.compute(gen, real, manager);
                print("DC   d=%d N=%d (k=5): %.2f s density %.4f coverage %.4f", d, n, seconds(t), dc.density(), dc.coverage());
                t = System.nanoTime();
                MetricInput input = MetricInput.of(real, gen);
                new PrecisionRecall(3).evaluate(input, manager);
                new DensityCoverage(5).evaluate(input, manager);
                print("PR+DC on one input (shared reference radii) d=%d N=%d: %.2f s", d, n, seconds(t));
            }
            extraction(manager);
        }
    }

    private static void extraction(NDManager manager) throws Exception {
        ImageSet set = ImageSets.readIdx(CnnClassifierTest.subsetFile("t10k-images-idx3-ubyte.gz")).head(300);
        int[] y = java.util.Arrays.copyOf(ImageSets.readIdxLabels(CnnClassifierTest.subsetFile("t10k-labels-idx1-ubyte.gz")), 300);
        try (CnnFeatureExtractor cnn = new CnnClassifierTraining(1, 100, 1e-3, 0)
                .train(CnnClassifierConfig.fashionMnist(), set, y, manager)) {
            FeatureExtraction.features(cnn, set, 100, manager);
            long t = System.nanoTime();
            for (int r = 0; r < 5; r++) {
                FeatureExtraction.features(cnn, set, 100, manager);
            }
            print("extraction fmnist-cnn 28x28 batch 100: %.0f images/s", 5 * set.count() / seconds(t));
        }
        Path tiny = Path.of(MetricsBenchmark.class.getResource("tiny-inception.pt").toURI());
        try (TorchScriptInception inception = TorchScriptInception.load(tiny)) {
            FeatureExtraction.features(inception, set, 100, manager);
            long t = System.nanoTime();
            for (int r = 0; r < 5; r++) {
                FeatureExtraction.features(inception, set, 100, manager);
            }
            print("extraction TorchScript path (tiny stand-in, grayscale->RGB, batch 100): %.0f images/s",
                    5 * set.count() / seconds(t));
        }
        String shaped = System.getProperty("gen4j.bench.inception");
        if (shaped != null) {
            // an Inception-v3 of the real architecture (make_inception_shaped_model.py), resized to 299x299
            ImageSet few = set.head(60);
            try (TorchScriptInception inception = TorchScriptInception.load(Path.of(shaped), "inception-shaped",
                    TorchScriptInception.FEATURE_DIM, TorchScriptInception.NUM_CLASSES)) {
                FeatureExtraction.features(inception, few.head(20), 20, manager);
                long t = System.nanoTime();
                FeatureExtraction.features(inception, few, 20, manager);
                print("extraction Inception-v3 architecture (299x299, batch 20): %.1f images/s",
                        few.count() / seconds(t));
            }
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
