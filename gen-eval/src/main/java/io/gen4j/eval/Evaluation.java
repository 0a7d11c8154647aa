package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the chosen metrics for one generated set against a real reference, each with its
 * real-vs-real floor, and returns them as {@link MetricResult}s.
 *
 * <p>The floor: when other real data are given ({@link EvaluationInputs#floorFeatures()}, e.g. the
 * training split), N_gen of them (seeded draw) are evaluated against the full reference, which is the
 * floor at exactly this N_real and N_gen. Otherwise the real set is split (seeded) into a held-out part B of size
 * n_f = min(N_gen, ⌊N_real/2⌋) and the rest A; the floor is the metric of B ("generated") against A
 * (reference). It tells what value an ideal generator would get at this sample size: FID and KID are
 * biased upwards at finite N, precision/recall/coverage fall short of 1, density is near 1. The
 * floor's reference has N_real − n_f samples, so it matches the value's setting closely only when
 * N_real ≫ N_gen (e.g. a 50k reference and 10k samples); both sizes are recorded. No floor is
 * computed when n_f would not exceed the largest k of the k-NN metrics.
 */
public final class Evaluation {

    private static final Logger LOGGER = LoggerFactory.getLogger(Evaluation.class);

    private Evaluation() {}

    /**
     * @param inputs features and their provenance
     * @param config metrics and settings
     * @param manager scratch manager for the float64 products
     * @return one result per scalar (PR gives precision and recall, DC density and coverage)
     */
    public static List<MetricResult> run(EvaluationInputs inputs, EvaluationConfig config, NDManager manager) {
        Features real = inputs.realFeatures();
        Features gen = inputs.generatedFeatures();
        Features realA = real;
        Features realB = null;
        Features realProbsB = null;
        int floorN = 0;
        int smallest = Math.max(config.precisionRecallK(), config.densityCoverageK()) + 1;
        Features other = inputs.floorFeatures();
        if (config.withFloor() && other != null && other.count() >= gen.count() && gen.count() >= smallest) {
            // N_gen samples of other real data against the full reference: the floor at exactly this N
            floorN = gen.count();
            int[] b = Subsets.sample(other.count(), floorN, new Random(config.seed()));
            Arrays.sort(b);
            realB = other.rows(b);
            if (inputs.floorProbabilities() != null) {
                realProbsB = inputs.floorProbabilities().rows(b);
            }
        } else if (config.withFloor() && Math.min(gen.count(), real.count() / 2) >= smallest) {
            floorN = Math.min(gen.count(), real.count() / 2);
            int[] perm = Subsets.permutation(real.count(), new Random(config.seed()));
            int[] b = Arrays.copyOfRange(perm, 0, floorN);
            int[] a = Arrays.copyOfRange(perm, floorN, perm.length);
            Arrays.sort(a);
            Arrays.sort(b);
            realA = real.rows(a);
            realB = real.rows(b);
            if (inputs.realProbabilities() != null) {
                realProbsB = inputs.realProbabilities().rows(b);
            }
        }
        int floorReferenceN = realA.count();
        List<MetricResult> out = new ArrayList<>();
        boolean manifold = config.metrics().contains(Metric.PR) || config.metrics().contains(Metric.DC);
        ManifoldPass.Results manifoldValue = null;
        ManifoldPass.Results manifoldFloor = null;
        if (manifold) {
            long start = System.nanoTime();
            int kPr = config.metrics().contains(Metric.PR) ? config.precisionRecallK() : 0;
            int kDc = config.metrics().contains(Metric.DC) ? config.densityCoverageK() : 0;
            manifoldValue = ManifoldPass.run(gen, real, kPr, kDc, manager);
            manifoldFloor = realB == null ? null : ManifoldPass.run(realB, realA, kPr, kDc, manager);
            LOGGER.info("k-NN manifold metrics computed in {} s",
                    String.format("%.2f", (System.nanoTime() - start) / 1e9));
        }
        for (Metric metric : Metric.values()) {
            if (!config.metrics().contains(metric)) {
                continue;
            }
            long start = System.nanoTime();
            switch (metric) {
                case FID -> {
                    double v = Fid.compute(real, gen, manager);
                    double f = realB == null ? Double.NaN : Fid.compute(realA, realB, manager);
                    out.add(result(inputs, config, "FID", v, Double.NaN, f, floorN, floorReferenceN));
                }
                case KID -> {
                    MeanStd v = Kid.compute(real, gen, config.kid(), manager);
                    double f = realB == null ? Double.NaN : Kid.compute(realA, realB, config.kid(), manager).mean();
                    out.add(result(inputs, config, "KID", v.mean(), v.std(), f, floorN, floorReferenceN));
                }
                case IS -> {
                    if (inputs.generatedProbabilities() == null) {
                        throw new IllegalArgumentException("IS needs generated class probabilities");
                    }
                    MeanStd v = InceptionScore.fromProbabilities(inputs.generatedProbabilities(), config.inceptionScore());
                    double f = realProbsB == null || realProbsB.count() < config.inceptionScore().splits()
                            ? Double.NaN
                            : InceptionScore.fromProbabilities(realProbsB, config.inceptionScore()).mean();
                    out.add(result(inputs, config, "IS", v.mean(), v.std(), f, floorN, floorReferenceN));
                }
                case PR -> {
                    PrecisionRecall.Result v = manifoldValue.precisionRecall();
                    PrecisionRecall.Result f = manifoldFloor == null ? null : manifoldFloor.precisionRecall();
                    out.add(result(inputs, config, "precision", v.precision(), Double.NaN,
                            f == null ? Double.NaN : f.precision(), floorN, floorReferenceN));
                    out.add(result(inputs, config, "recall", v.recall(), Double.NaN,
                            f == null ? Double.NaN : f.recall(), floorN, floorReferenceN));
                }
                case DC -> {
                    DensityCoverage.Result v = manifoldValue.densityCoverage();
                    DensityCoverage.Result f = manifoldFloor == null ? null : manifoldFloor.densityCoverage();
                    out.add(result(inputs, config, "density", v.density(), Double.NaN,
                            f == null ? Double.NaN : f.density(), floorN, floorReferenceN));
                    out.add(result(inputs, config, "coverage", v.coverage(), Double.NaN,
                            f == null ? Double.NaN : f.coverage(), floorN, floorReferenceN));
                }
                default -> throw new IllegalStateException("unhandled metric " + metric);
            }
            LOGGER.info("{} computed in {} s", metric, String.format("%.2f", (System.nanoTime() - start) / 1e9));
        }
        return out;
    }

    private static MetricResult result(EvaluationInputs in, EvaluationConfig config, String metric, double value,
            double std, double floor, int floorN, int floorReferenceN) {
        ExtractorInfo info = in.extractor();
        return new MetricResult(info.metricName(metric), value, std, in.realFeatures().count(),
                in.generatedFeatures().count(), info.name(), info.fileHash(), info.preprocessing(),
                in.referenceSplit(), config.seed(), floor, Double.isNaN(floor) ? 0 : floorN,
                Double.isNaN(floor) ? 0 : floorReferenceN);
    }
}
