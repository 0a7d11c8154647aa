package io.gen4j.examples.topics;

import ai.djl.ndarray.NDManager;
import io.gen4j.autoencoders.NetworkSpec;
import io.gen4j.autoencoders.VaeConfig;
import io.gen4j.autoencoders.VaeModel;
import io.gen4j.autoencoders.VaePreset;
import io.gen4j.autoencoders.VaeSpec;
import io.gen4j.autoregressive.MadeConfig;
import io.gen4j.autoregressive.MadeModel;
import io.gen4j.autoregressive.MadeOrdering;
import io.gen4j.autoregressive.MadeOutput;
import io.gen4j.autoregressive.MadePreset;
import io.gen4j.autoregressive.MadeSpec;
import io.gen4j.autoregressive.PixelCnnConfig;
import io.gen4j.autoregressive.PixelCnnModel;
import io.gen4j.autoregressive.PixelCnnPreset;
import io.gen4j.autoregressive.PixelCnnSpec;
import io.gen4j.autoregressive.PixelOutput;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.DdpmFamily;
import io.gen4j.diffusion.DdpmModel;
import io.gen4j.diffusion.DdpmObjective;
import io.gen4j.diffusion.DdpmPreset;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.flows.MaximumLikelihoodObjective;
import io.gen4j.flows.RealNvp;
import io.gen4j.flows.RealNvpFamily;
import io.gen4j.flows.RealNvpModel;
import io.gen4j.flows.RealNvpSpec;
import java.io.IOException;
import java.util.Random;

/**
 * The families of this repository in the comparison of topic 11-10, one {@link ComparisonEntry}
 * each, registered in {@code META-INF/services/io.gen4j.examples.topics.ComparisonEntry}. Each
 * picks its own network and budget per profile (the "one budget per model" of the comparison: a
 * few CPU minutes each in the cpu profile, none tuned for its NLL).
 */
public final class ComparisonEntries {

    private ComparisonEntries() {}

    static int pick(Profile p, int smoke, int cpu, int gpu) {
        return switch (p) {
            case SMOKE -> smoke;
            case CPU -> cpu;
            case GPU -> gpu;
        };
    }

    private static ObjectiveStep adam(Objective objective, double lr, long steps) {
        return ObjectiveStep.builder().setObjective(objective)
                .setOptimizer(Adam.factory(LearningRateSchedule.cosine(lr, lr * 0.05, 0, Math.max(1, steps)),
                        AdamConfig.defaults()))
                .optClipNorm(10).build();
    }

    /**
     * The small U-Net of the comparison's pixel-space diffusion-like entries (DDPM, flow matching).
     *
     * @param p the profile
     * @return two levels, 8/32/64 base channels
     */
    static UNetConfig smallUnet(Profile p) {
        return UNetConfig.builder().setImageChannels(1).optBaseChannels(pick(p, 8, 32, 64))
                .optChannelMultipliers(1, 2).optGroups(pick(p, 4, 8, 16)).build();
    }

    /**
     * AdamW at 1e-3 with a warm-up and a cosine decay to a tenth, gradient norm clipped at 1: the
     * training of {@link #smallUnet} entries.
     *
     * @param objective what to minimise
     * @param steps the run's length
     * @return the step
     */
    static ObjectiveStep unetStep(Objective objective, TrainingRecipe recipe) {
        return ObjectiveStep.builder().setObjective(objective)
                .setOptimizer(AdamW.factory(recipe.schedule(), recipe.adam())).optClipNorm(recipe.maxGradNorm())
                .build();
    }

    /** @return the smoke profile's U-Net training: 5 AdamW updates of 32, 1e-3 → 1e-4 without warm-up, clip 1 */
    static TrainingRecipe smokeRecipe() {
        return TrainingRecipe.of(5, 32, 1e-3, 1e-4, 0, 1.0);
    }

    private static DataSpec unitImages(ImageDataset d) {
        return DataSpec.image(1, d.height(), d.width(), PixelRange.ZERO_ONE);
    }

    /** MADE (Germain et al. 2015): exact NLL, D = H·W Bernoulli conditionals, natural order. */
    public static final class Made implements ComparisonEntry {
        /** @return {@code made} */
        public String name() {
            return "made";
        }

        @Override
        public int order() {
            return 40;
        }

        /**
         * @param p the profile
         * @param dims D
         * @return the MADE of that profile
         */
        public static MadeConfig config(Profile p, int dims) {
            return switch (p) {
                case SMOKE -> new MadeConfig(dims, 32, 2, MadeOutput.BERNOULLI, 1, MadeOrdering.NATURAL, 1, 7);
                case CPU -> MadePreset.binarized28().withDims(dims).config();
                case GPU -> MadePreset.binarized28Long().withDims(dims).config();
            };
        }

        @Override
        public GenerativeModel train(ComparisonContext c) throws IOException {
            ImageDataset d = c.train();
            Seeds.seedEngine(c.seedFor(name()));
            MadeModel model = MadeModel.create(new MadeSpec(config(c.profile(), d.imageSize()), unitImages(d)),
                    c.manager());
            int steps = pick(c.profile(), 10, (int) MadePreset.binarized28().training().steps(),
                    (int) MadePreset.binarized28Long().training().steps());
            c.fit(name(), adam(model.objective(), MadePreset.binarized28().training().learningRate(), steps),
                    d.batches(MadePreset.binarized28().training().batchSize(), c.seedFor("made-batches"), true, PixelRange.ZERO_ONE), steps);
            return model;
        }
    }

    /** Gated PixelCNN (van den Oord et al. 2016) with Bernoulli pixels: exact NLL. */
    public static final class PixelCnn implements ComparisonEntry {
        /** @return {@code pixelcnn} */
        public String name() {
            return "pixelcnn";
        }

        @Override
        public int order() {
            return 50;
        }

        /**
         * @param p the profile
         * @param d the data
         * @return the PixelCNN of that profile
         */
        public static PixelCnnConfig config(Profile p, ImageDataset d) {
            return switch (p) {
                case SMOKE -> new PixelCnnConfig(d.height(), d.width(), PixelCnnConfig.Architecture.GATED, 8, 1, 7, 3,
                        PixelOutput.BERNOULLI, 1, 0);
                case CPU -> PixelCnnPreset.binarized28().withSize(d.height(), d.width()).config();
                case GPU -> PixelCnnPreset.binarized28Long().withSize(d.height(), d.width()).config();
            };
        }

        @Override
        public GenerativeModel train(ComparisonContext c) throws IOException {
            ImageDataset d = c.train();
            Seeds.seedEngine(c.seedFor(name()));
            PixelCnnModel model = PixelCnnModel.create(PixelCnnSpec.of(config(c.profile(), d)), c.manager());
            int steps = pick(c.profile(), 5, (int) PixelCnnPreset.binarized28().training().steps(),
                    (int) PixelCnnPreset.binarized28Long().training().steps());
            c.fit(name(), adam(model.objective(), PixelCnnPreset.binarized28().training().learningRate(), steps),
                    d.batches(PixelCnnPreset.binarized28().training().batchSize(), c.seedFor("pixelcnn-batches"), true, PixelRange.ZERO_ONE), steps);
            return model;
        }
    }

    /** VAE with a Bernoulli decoder (gen-autoencoders): NLL as the IWAE bound with K = 64. */
    public static final class Vae implements ComparisonEntry {
        /** @return {@code vae} */
        public String name() {
            return "vae";
        }

        @Override
        public int order() {
            return 10;
        }

        @Override
        public GenerativeModel train(ComparisonContext c) throws IOException {
            ImageDataset d = c.train();
            Seeds.seedEngine(c.seedFor(name()));
            VaeModel model = VaeModel.create(spec(c.profile(), unitImages(d)), c.manager());
            TrainingRecipe recipe = VaePreset.comparison28().training();
            int steps = pick(c.profile(), 10, (int) recipe.steps(), (int) VaePreset.comparison28Long().training().steps());
            c.fit(name(), adam(model.network().objective(), recipe.learningRate(), steps),
                    d.batches(recipe.batchSize(), c.seedFor("vae-batches"), true, PixelRange.ZERO_ONE), steps);
            return model;
        }

        /**
         * @param profile the run's profile
         * @param data the images' shape and range
         * @return the VAE: gen-autoencoders' {@link VaePreset#comparison28()} at the CPU profile, {@code
         *     comparison28Long()} at the GPU profile (both on the data's shape), a small one at the smoke profile
         */
        static VaeSpec spec(Profile profile, DataSpec data) {
            VaeSpec preset = switch (profile) {
                case SMOKE -> new VaeSpec(NetworkSpec.mlp(32), NetworkSpec.mlp(32), VaeConfig.defaults(4), data);
                case CPU -> VaePreset.comparison28().spec();
                case GPU -> VaePreset.comparison28Long().spec();
            };
            return new VaeSpec(preset.encoder(), preset.decoder(), preset.config(), data);
        }
    }

    /**
     * Multi-scale RealNVP (gen-flows) on uniformly dequantised pixels: exact log-density, and with the
     * bins of width 1/256 included an exact lower bound on log P of the 8-bit image.
     */
    public static final class RealNvpEntry implements ComparisonEntry {
        /** @return {@code realnvp} */
        public String name() {
            return "realnvp";
        }

        @Override
        public int order() {
            return 20;
        }

        @Override
        public GenerativeModel train(ComparisonContext c) throws IOException {
            ImageDataset d = c.train();
            Seeds.seedEngine(c.seedFor(name()));
            RealNvpModel model = new RealNvpFamily().create(RealNvpSpec.image(config(c.profile(), d)), c.manager());
            RealNvp.ImagePreset preset = RealNvp.Presets.comparison28();
            try (NDManager init = c.manager().newSubManager()) {
                int n = Math.min(preset.initializationImages(), d.size());
                int[] idx = new Random(c.seedFor("realnvp-init")).ints(n, 0, d.size()).toArray();
                model.flow().initializeFromData(d.toNDArray(init, idx, PixelRange.ZERO_ONE));
            }
            int steps = pick(c.profile(), 3, (int) preset.training().steps(),
                    (int) RealNvp.Presets.comparison28Long().training().steps());
            c.fit(name(), adam(new MaximumLikelihoodObjective(model.flow()), preset.training().learningRate(), steps),
                    d.batches(preset.training().batchSize(), c.seedFor("realnvp-batches"), true, PixelRange.ZERO_ONE),
                    steps);
            return model;
        }

        /**
         * @param profile the run's profile
         * @param d the training images
         * @return the flow: gen-flows' {@link RealNvp.Presets#comparison28()} at the CPU profile, {@code
         *     comparison28Long()} at the GPU profile (both on the data's shape), a small one at the smoke profile
         */
        static RealNvp.ImageConfig config(Profile profile, ImageDataset d) {
            RealNvp.ImageConfig preset = switch (profile) {
                case SMOKE -> RealNvp.ImageConfig.builder().setImageShape(1, 28, 28).optCouplings(1).optHidden(8)
                        .optResBlocks(1).optGroups(4).build();
                case CPU -> RealNvp.Presets.comparison28().model();
                case GPU -> RealNvp.Presets.comparison28Long().model();
            };
            return preset.toBuilder().setImageShape(1, d.height(), d.width()).build();
        }
    }

    /** DDPM (gen-diffusion), ε-prediction, cosine schedule: NLL as the variational bound. */
    public static final class Ddpm implements ComparisonEntry {
        /** @return {@code ddpm} */
        public String name() {
            return "ddpm";
        }

        @Override
        public int order() {
            return 30;
        }

        /**
         * @param p the profile
         * @return {@code DdpmPreset.comparison28()} (cpu), {@code comparison28Long()} (gpu), a seconds-long
         *     smoke size
         */
        static DdpmPreset preset(Profile p) {
            return switch (p) {
                case SMOKE -> new DdpmPreset(smallUnet(p), NoiseSchedule.Type.COSINE, 50, Prediction.EPSILON,
                        smokeRecipe(), 0, 5, 10);
                case CPU -> DdpmPreset.comparison28();
                case GPU -> DdpmPreset.comparison28Long();
            };
        }

        @Override
        public GenerativeModel train(ComparisonContext c) throws IOException {
            ImageDataset d = c.train();
            Seeds.seedEngine(c.seedFor(name()));
            DdpmPreset preset = preset(c.profile());
            DdpmSpec spec = preset.spec(1, d.height(), d.width());
            DdpmModel model = new DdpmFamily().create(spec, c.manager());
            NoiseSchedule schedule = spec.noiseSchedule();
            ObjectiveStep step = preset.step(DdpmObjective.simple(model.unet(), schedule, preset.prediction()))
                    .build();
            c.fit(name(), step, d.batches(preset.training().batchSize(), c.seedFor("ddpm-batches"), true,
                    PixelRange.MINUS_ONE_ONE), preset.training().steps());
            return model;
        }
    }
}
