package io.gen4j.examples.topics.ddpm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.Condition;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.DdpmObjective;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import java.util.Arrays;

/**
 * Times one DDPM training step (forward, backward, AdamW update) of the reference U-Net and one
 * DDIM sampler step, and reports ms/step, images/s and the achieved GFLOP/s.
 *
 * <p>The reference U-Net: 1×32×32 input, channels 32/64/128 (multipliers 1, 2, 4), one residual
 * block per level, GroupNorm with 8 groups, self-attention at 8×8, batch 64. FLOPs are counted as
 * 2 × the U-Net's multiply-accumulates ({@link UNet#macsPerExample()}); a training step counts 3×
 * the forward pass (forward + backward through activations and weights).
 */
public final class DdpmBenchmark {

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

        /** @return batch 64, 2 warm-up steps, 5 timed steps */
        public static Options defaults() {
            return new Options(64, 2, 5);
        }
    }

    /**
     * @param config the U-Net measured
     * @param parameters its parameter count
     * @param gflopPerImage forward GFLOP per image
     * @param trainMillisPerStep median training step
     * @param trainImagesPerSecond batch / training step time
     * @param trainGflops achieved GFLOP/s in training
     * @param sampleMillisPerStep median sampler step (one network evaluation for the batch)
     * @param sampleImagesPerSecond batch / sampler step time
     * @param sampleGflops achieved GFLOP/s when sampling
     * @param batch the batch size
     * @param convGuard the convolution guard in force
     */
    public record Result(
            UNetConfig config,
            long parameters,
            double gflopPerImage,
            double trainMillisPerStep,
            double trainImagesPerSecond,
            double trainGflops,
            double sampleMillisPerStep,
            double sampleImagesPerSecond,
            double sampleGflops,
            int batch,
            String convGuard) {

        /** @return a few human-readable lines */
        public String describe() {
            return String.format(
                    "reference U-Net %s%n  parameters %,d, %.3f GFLOP/image (forward), batch %d, conv guard %s%n"
                            + "  training step: %.1f ms/step, %.1f images/s, %.1f GFLOP/s%n"
                            + "  sampler step:  %.1f ms/step, %.1f images/s, %.1f GFLOP/s",
                    config, parameters, gflopPerImage, batch, convGuard, trainMillisPerStep,
                    trainImagesPerSecond, trainGflops, sampleMillisPerStep, sampleImagesPerSecond,
                    sampleGflops);
        }
    }

    private DdpmBenchmark() {}

    /** @return the reference U-Net: 32/64/128 channels, 1 block per level, attention at 8×8 */
    public static UNetConfig referenceConfig() {
        return UNetConfig.builder().setImageChannels(1).optChannelMultipliers(1, 2, 4).build();
    }

    /**
     * Runs the benchmark.
     *
     * @param options sizes
     * @return the timings
     */
    public static Result run(Options options) {
        String guard = ConvGuard.status().mode().toString();
        Engine.getInstance().setRandomSeed(0);
        UNetConfig config = referenceConfig();
        int n = options.batch();
        Shape shape = new Shape(n, 1, 32, 32);
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet unet = new UNet(config);
            unet.initialize(manager, DataType.FLOAT32, shape, new Shape(n));
            NoiseSchedule schedule = NoiseSchedule.linear(1000);
            ObjectiveStep step = ObjectiveStep.builder()
                    .setObjective(DdpmObjective.simple(unet, schedule, Prediction.EPSILON))
                    .setOptimizer(AdamW.factory(LearningRateSchedule.constant(2e-4),
                            AdamConfig.defaults()))
                    .optName("unet")
                    .optClipNorm(1.0)
                    .build();
            double[] train = new double[options.repeats()];
            for (int i = 0; i < options.warmup() + options.repeats(); i++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.randomUniform(-1, 1, shape);
                    long t0 = System.nanoTime();
                    step.step(new NDList(x), i);
                    if (i >= options.warmup()) {
                        train[i - options.warmup()] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            DiffusionModel eval = new DiffusionModel(
                    unet.denoiser(new ParameterStore(manager, false), false), schedule,
                    Prediction.EPSILON).withClipX0(1);
            int sampleSteps = options.warmup() + options.repeats();
            double sampleMs;
            try (NDManager scope = manager.newSubManager()) {
                NDArray xT = scope.randomNormal(shape);
                SamplerResult r = DdimSampler.deterministic().sample(eval, xT,
                        TimeGrid.spaced(1000, Math.max(2, sampleSteps), Spacing.LINSPACE),
                        Condition.none(), false);
                sampleMs = r.millisPerStep();
            }
            double trainMs = median(train);
            double gflopPerImage = 2.0 * unet.macsPerExample() / 1e9;
            return new Result(config, unet.parameterCount(), gflopPerImage, trainMs,
                    n / (trainMs / 1e3), 3 * gflopPerImage * n / (trainMs / 1e3), sampleMs,
                    n / (sampleMs / 1e3), gflopPerImage * n / (sampleMs / 1e3), n, guard);
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
