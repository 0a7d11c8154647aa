package io.gen4j.eval;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.Permutations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the chosen {@link Metric}s for one generated set against a real reference, each with its
 * real-vs-real floor, and returns them as {@link MetricResult}s.
 *
 * <p>Every metric goes through the same loop: {@link Metric#evaluate} on (reference = real data,
 * samples = generated data) gives the value, and the same call on (reference = rest of the real
 * data, samples = held-out real data) gives the floor, so a metric of your own gets its floor and
 * provenance like the built-in ones.
 *
 * <p>The floor: when other real data are given ({@link EvaluationInputs#floorFeatures()}, e.g. the
 * training split), N_gen of them (a seeded draw, {@link Permutations#sortedSample}) are evaluated
 * against the full reference, which is the floor at exactly this N_real and N_gen. Otherwise the real
 * set is split (seeded, {@link Permutations#permutation}) into a held-out part B of size
 * n_f = min(N_gen, ⌊N_real/2⌋) and the rest A; the floor is the metric of B ("generated") against A
 * (reference). It tells what value an ideal generator would get at this sample size: FID and KID are
 * biased upwards at finite N, precision/recall/coverage fall short of 1, density is near 1. The
 * floor's reference has N_real − n_f samples, so it matches the value's setting closely only when
 * N_real ≫ N_gen (e.g. a 50k reference and 10k samples); both sizes are recorded. A metric's floor is
 * NaN when the metric does not {@link Metric#accepts accept} the floor's sets (e.g. n_f not above
 * the k of a k-NN metric, or no class probabilities of the held-out images for IS).
 */
public final class Evaluation {

    private static final Logger LOGGER = LoggerFactory.getLogger(Evaluation.class);

    private Evaluation() {}

    /**
     * @param inputs features and their provenance
     * @param config metrics and settings
     * @param manager scratch manager for the float64 products
     * @return the values of every metric in the order of {@link EvaluationConfig#metrics()}, each
     *     metric's values in its own order (precision and recall, density and coverage)
     */
    public static List<MetricResult> run(EvaluationInputs inputs, EvaluationConfig config, NDManager manager) {
        MetricInput value = new MetricInput(inputs.realFeatures(), inputs.generatedFeatures(),
                inputs.generatedProbabilities());
        Floor floor = config.withFloor() ? Floor.draw(inputs, config.seed()) : null;
        List<MetricResult> out = new ArrayList<>();
        for (Metric metric : config.metrics()) {
            long start = System.nanoTime();
            List<MetricValue> values = metric.evaluate(value, manager);
            if (values.isEmpty()) {
                throw new IllegalStateException(metric + " returned no values");
            }
            List<MetricValue> floors = floor != null && metric.accepts(floor.input())
                    ? metric.evaluate(floor.input(), manager)
                    : null;
            for (int i = 0; i < values.size(); i++) {
                MetricValue v = values.get(i);
                double f = Double.NaN;
                if (floors != null) {
                    if (floors.size() != values.size() || !floors.get(i).name().equals(v.name())) {
                        throw new IllegalStateException(metric + " named its floor's values " + names(floors)
                                + " but its values " + names(values));
                    }
                    f = floors.get(i).value();
                }
                out.add(result(inputs, config, v, f, floor));
            }
            LOGGER.info("{} computed in {} s", names(values),
                    String.format("%.2f", (System.nanoTime() - start) / 1e9));
        }
        return out;
    }

    private static String names(List<MetricValue> values) {
        return values.stream().map(MetricValue::name).collect(Collectors.joining(", "));
    }

    private static MetricResult result(EvaluationInputs in, EvaluationConfig config, MetricValue v, double floor,
            Floor split) {
        ExtractorInfo info = in.extractor();
        boolean withFloor = !Double.isNaN(floor);
        return new MetricResult(info.metricName(v.name()), v.value(), v.std(), in.realFeatures().count(),
                in.generatedFeatures().count(), info.name(), info.fileHash(), info.preprocessing(),
                in.referenceSplit(), config.seed(), floor, withFloor ? split.input().samples().count() : 0,
                withFloor ? split.input().reference().count() : 0);
    }

    /**
     * The sets of the real-vs-real floor.
     *
     * @param input reference = the floor's real reference, samples = the held-out real data
     */
    private record Floor(MetricInput input) {

        /** The smallest held-out set a floor is drawn for. */
        static final int MIN_ROWS = 2;

        /** @return the floor's sets, or null when the data are too few for any */
        static Floor draw(EvaluationInputs inputs, long seed) {
            Features real = inputs.realFeatures();
            int nGen = inputs.generatedFeatures().count();
            Features other = inputs.floorFeatures();
            if (other != null && other.count() >= nGen && nGen >= MIN_ROWS) {
                // N_gen samples of other real data against the full reference: the floor at exactly this N
                int[] b = Permutations.sortedSample(other.count(), nGen, new Random(seed));
                Features probabilities = inputs.floorProbabilities() == null ? null : inputs.floorProbabilities().rows(b);
                return new Floor(new MetricInput(real, other.rows(b), probabilities));
            }
            int heldOut = Math.min(nGen, real.count() / 2);
            if (heldOut < MIN_ROWS) {
                return null;
            }
            int n = real.count();
            int[] perm = Permutations.permutation(n, new Random(seed));
            int[] a = Arrays.copyOfRange(perm, 0, n - heldOut);
            int[] b = Arrays.copyOfRange(perm, n - heldOut, n); // = Permutations.sample(n, heldOut, same seed)
            Arrays.sort(a);
            Arrays.sort(b);
            Features probabilities = inputs.realProbabilities() == null ? null : inputs.realProbabilities().rows(b);
            return new Floor(new MetricInput(real.rows(a), real.rows(b), probabilities));
        }
    }
}
