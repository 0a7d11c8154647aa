package io.gen4j.examples.topics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.autoencoders.DecoderLikelihood;
import io.gen4j.autoencoders.Networks;
import io.gen4j.autoencoders.Vae;
import io.gen4j.autoencoders.VaeConfig;
import io.gen4j.autoencoders.VaePreset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.TrainingRecipe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The VAE side of topic 11-08's comparison: gen-autoencoders' VAE with a learned-σ Gaussian decoder,
 * trained on the same uniformly dequantized pixels y = (k + u)/256 as the flow, so that its ELBO and
 * IWAE bounds on log p(y), minus D·log 256, are lower bounds on the same discrete log-likelihood the
 * flow computes exactly. Both are reported in bits/dim.
 */
final class FlowsTopicVae {

    private FlowsTopicVae() {}

    /**
     * Sizes of the VAE run.
     *
     * @param latent latent dimension
     * @param hidden hidden width of the MLP encoder and decoder
     * @param steps training steps
     * @param batch images per step
     * @param learningRate peak Adam rate (cosine decay)
     * @param iwaeSamples K of the importance-weighted bound
     * @param testImages test images evaluated (the flow's first ones)
     */
    record Settings(int latent, int hidden, int steps, int batch, double learningRate, int iwaeSamples,
            int testImages) {

        /**
         * @param preset gen-autoencoders' {@link VaePreset#dequantized28()} (CPU profile) or {@code
         *     dequantized28Long()} (GPU): latent size, hidden width, steps, batch and peak rate
         * @param iwaeSamples K of the importance-weighted bound
         * @param testImages test images evaluated
         * @return the sizes
         */
        static Settings of(VaePreset preset, int iwaeSamples, int testImages) {
            TrainingRecipe t = preset.training();
            return new Settings(preset.spec().config().latentDim(), preset.spec().encoder().widths().get(0),
                    (int) t.steps(), t.batchSize(), t.learningRate(), iwaeSamples, testImages);
        }
    }

    /**
     * @param s the run's sizes
     * @return the VAE's configuration: a Gaussian decoder with one learned σ from 0.1, β = 1 ({@link
     *     VaePreset#dequantized28()}'s at the CPU profile)
     */
    static VaeConfig config(Settings s) {
        return VaeConfig.defaults(s.latent()).withLikelihood(DecoderLikelihood.GAUSSIAN_LEARNED, 0.1);
    }

    /**
     * @param s the run's sizes
     * @return the learning rate at the last step of the cosine decay: 5 % of the peak ({@link
     *     VaePreset#dequantized28()}'s final rate at the CPU profile)
     */
    static double finalLearningRate(Settings s) {
        return s.learningRate() * 0.05;
    }

    /**
     * @param elboBitsPerDim bits/dim from the ELBO (an upper bound on the code length)
     * @param iwaeBitsPerDim bits/dim from the IWAE bound with K samples (tighter)
     * @param seconds wall time of the training
     * @param metricsCsv the training log
     */
    record Outcome(double elboBitsPerDim, double iwaeBitsPerDim, double seconds, Path metricsCsv) {}

    /** Pixel values k/255 to uniformly dequantized y = (k + u)/256, as the flow's first transform does. */
    private static NDArray dequantize(NDArray x) {
        NDArray u = x.getManager().randomUniform(0, 1, x.getShape(), x.getDataType());
        return Scalars.dividedBy(Scalars.times(x, 255).round().add(u), 256);
    }

    static Outcome run(FlowsTopicImages.Data data, Settings s, TopicRun topicRun, long seed) throws IOException {
        RunDirectory run = topicRun.directory();
        Shape image = new Shape(1, data.train().height(), data.train().width());
        double dims = image.size();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed);
            Vae vae = new Vae(Networks.mlpEncoder(2 * s.latent(), s.hidden()), Networks.mlpDecoder(image, s.hidden()),
                    config(s), image);
            vae.initialize(manager, DataType.FLOAT32, new Shape(s.batch(), image.get(0), image.get(1), image.get(2)));
            Path csv = run.root().resolve("metrics-vae.csv");
            long t0 = System.nanoTime();
            ObjectiveStep step = ObjectiveStep.builder().optName("vae")
                    .setObjective(Objective.of(vae, (ctx, batch) -> vae.loss(ctx.parameters(),
                            dequantize(batch.head()), ctx.step(), ctx.training())))
                    .setOptimizer(Adam.factory(LearningRateSchedule.cosine(s.learningRate(),
                            finalLearningRate(s), 0, Math.max(1, s.steps())), AdamConfig.defaults()))
                    .build();
            topicRun.fit("vae", step,
                    data.train().batches(s.batch(), Seeds.derive(seed, 12), true, PixelRange.ZERO_ONE), manager,
                    s.steps(), Seeds.derive(seed, 13), csv, List.of());
            double seconds = (System.nanoTime() - t0) / 1e9;
            int n = Math.min(s.testImages(), data.test().size());
            double elbo = 0;
            double iwae = 0;
            for (int from = 0; from < n; from += 100) {
                int m = Math.min(100, n - from);
                int[] idx = new int[m];
                for (int i = 0; i < m; i++) {
                    idx[i] = from + i;
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDArray y = dequantize(data.test().toNDArray(scope, idx, PixelRange.ZERO_ONE));
                    ParameterStore ps = new ParameterStore(scope, false);
                    elbo += vae.elbo(ps, y).sum().toType(DataType.FLOAT64, false).getDouble();
                    iwae += vae.importanceWeightedBound(ps, y, s.iwaeSamples()).sum()
                            .toType(DataType.FLOAT64, false).getDouble();
                }
            }
            // a density on y = (k + u)/256: 8-bit bins of width 1/256
            return new Outcome(Likelihoods.bitsPerDim(-elbo / n, (long) dims, Likelihoods.BIN_WIDTH_8BIT_UNIT),
                    Likelihoods.bitsPerDim(-iwae / n, (long) dims, Likelihoods.BIN_WIDTH_8BIT_UNIT), seconds, csv);
        }
    }
}
