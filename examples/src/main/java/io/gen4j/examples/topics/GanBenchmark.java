package io.gen4j.examples.topics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.gans.GanLoss;
import io.gen4j.gans.GanModel;
import io.gen4j.gans.GanSpec;
import io.gen4j.gans.GanTraining;
import io.gen4j.gans.GradientPenalty;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times one GAN training step — a discriminator update and a generator update — of a DCGAN (latent
 * 64, 32 base channels, two stride-2 stages, 1×28×28, FashionMNIST's shape; topic 11-03's cpu profile
 * uses 16 base channels), with
 * the non-saturating loss and with WGAN-GP (whose critic update adds the explicit input-gradient pass),
 * and reports the median ms/step and images/s.
 */
public final class GanBenchmark {

    /**
     * @param batch images per step
     * @param warmup untimed steps first
     * @param repeats timed steps (the median is reported)
     */
    public record Options(int batch, int warmup, int repeats) {
        /** Validates. */
        public Options {
            if (batch < 1 || warmup < 0 || repeats < 1) {
                throw new IllegalArgumentException("batch and repeats must be >= 1 and warmup >= 0, got "
                        + batch + ", " + repeats + ", " + warmup);
            }
        }
    }

    /**
     * @param batch the batch size
     * @param nonSaturatingMillis median D+G step, non-saturating loss
     * @param gradientPenaltyMillis median D+G step, WGAN-GP (n_critic 1 in the timed step)
     * @param convGuard the convolution guard in force
     */
    public record Result(int batch, double nonSaturatingMillis, double gradientPenaltyMillis, String convGuard) {
        /** @return a few human-readable lines */
        public String describe() {
            return String.format(Locale.ROOT,
                    "DCGAN %s, batch %d, conv guard %s%n"
                            + "  D+G step, non-saturating: %.1f ms/step, %.1f images/s%n"
                            + "  D+G step, WGAN-GP:        %.1f ms/step, %.1f images/s",
                    spec(), batch, convGuard, nonSaturatingMillis, 1000 * batch / nonSaturatingMillis,
                    gradientPenaltyMillis, 1000 * batch / gradientPenaltyMillis);
        }
    }

    private GanBenchmark() {}

    /** @return the DCGAN timed: latent 64, 32 base channels, 1×28×28 */
    public static GanSpec spec() {
        return GanSpec.dcgan(64, 32, 2, 1, 28, 28);
    }

    /**
     * @param options sizes
     * @return the timings
     */
    public static Result run(Options options) {
        String guard = ConvGuard.status().mode().toString();
        double ns = time(options, false);
        double gp = time(options, true);
        return new Result(options.batch(), ns, gp, guard);
    }

    private static double time(Options options, boolean penalty) {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            GanModel model = GanModel.create(spec(), manager);
            GanTraining.Builder b = GanTraining.builder(model);
            if (penalty) {
                b.optLoss(GanLoss.wasserstein()).optPenalty(GradientPenalty.defaults()).optBetas(0, 0.9);
            }
            GanTraining.Step step = b.build();
            double[] ms = new double[options.repeats()];
            for (int i = 0; i < options.warmup() + options.repeats(); i++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.randomUniform(-1, 1, new Shape(options.batch(), 1, 28, 28));
                    long t0 = System.nanoTime();
                    step.step(new NDList(x), i);
                    if (i >= options.warmup()) {
                        ms[i - options.warmup()] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            Arrays.sort(ms);
            return ms[ms.length / 2];
        }
    }
}
