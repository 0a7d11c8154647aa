package io.gen4j.flows;

import io.gen4j.core.train.TrainingRecipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * RealNVP (Dinh, Sohl-Dickstein &amp; Bengio, "Density estimation using Real NVP", ICLR 2017) built
 * from gen4j's transforms, for vectors and for images.
 *
 * <p>Vectors (N, D): {@code [ActNorm → (FixedOrthogonal) → AffineCoupling(alternating mask, MLP)] × K}
 * on a standard Gaussian; the optional fixed rotations mix coordinates between couplings.
 *
 * <p>Images (N, C, H, W), the multi-scale architecture of §3.6, on a standard Gaussian:
 *
 * <pre>
 *   dequantize → logit → level(C, H, W, scales)
 *   level(c, h, w, s > 1) = [ActNorm, Coupling(checkerboard)] × k → Squeeze
 *                           → [ActNorm, Coupling(channel)] × k
 *                           → FactorOut(level(2c, h/2, w/2, s − 1)) → Unsqueeze
 *   level(c, h, w, 1)     = [ActNorm, Coupling(checkerboard)] × (k + 1)
 * </pre>
 *
 * <p>Masks alternate between consecutive couplings so that every coordinate is transformed. Each
 * level keeps its input's shape, so the latent of an image is an image-shaped array.
 *
 * <p>What a coupling is comes from a {@link CouplingFactory}: by default the affine coupling of the
 * paper ({@link AffineCoupling}, conditioners sized by the config's {@code hidden}, {@code layers} /
 * {@code resBlocks}, {@code groups}); {@link #vector(VectorConfig, CouplingFactory)} and {@link
 * #image(ImageConfig, CouplingFactory)} take another one, e.g. NICE's {@link AdditiveCoupling}
 * ({@link CouplingFactory#additiveMlp}), and then the conditioner sizes of the config are unused.
 */
public final class RealNvp {

    private static final long ROTATION_SEED = 0x5EED_F10L;

    private RealNvp() {}

    /**
     * Hyperparameters of a RealNVP for vector data.
     *
     * @param dims D, at least 2
     * @param couplings number of coupling layers K, at least 1
     * @param hidden width of the conditioner's hidden layers
     * @param layers hidden layers per conditioner
     * @param actNorm whether to put an ActNorm before each coupling
     * @param rotations whether to put a {@link FixedOrthogonal} rotation before each coupling
     */
    public record VectorConfig(int dims, int couplings, int hidden, int layers, boolean actNorm, boolean rotations) {
        /** Validates the ranges. */
        public VectorConfig {
            if (dims < 2) {
                throw new IllegalArgumentException("dims must be >= 2, got " + dims);
            }
            if (couplings < 1) {
                throw new IllegalArgumentException("couplings must be >= 1, got " + couplings);
            }
            if (hidden < 1 || layers < 1) {
                throw new IllegalArgumentException("hidden and layers must be >= 1, got " + hidden + ", " + layers);
            }
        }

        /** @return 2-D data, 8 couplings with 2 × 64 hidden units, ActNorm and rotations on */
        public static VectorConfig defaults() {
            return new VectorConfig(2, 8, 64, 2, true, true);
        }
    }

    /**
     * Hyperparameters of a multi-scale RealNVP for images. Make one with {@link #builder()} (the
     * image shape is required, the rest has the defaults of {@link Builder}) or {@link #defaults()};
     * the record is the value type (equality, JSON of a run's config).
     *
     * @param channels C of the data
     * @param height H, divisible by 2^(scales − 1)
     * @param width W, divisible by 2^(scales − 1)
     * @param scales number of levels, at least 1
     * @param couplings coupling layers per stage (3 in the paper)
     * @param hidden hidden channels of the conditioners, a multiple of {@code groups}
     * @param resBlocks residual blocks per conditioner
     * @param groups GroupNorm groups in the conditioners
     * @param logitAlpha α of the logit transform, in (0, 0.5)
     */
    public record ImageConfig(
            int channels,
            int height,
            int width,
            int scales,
            int couplings,
            int hidden,
            int resBlocks,
            int groups,
            double logitAlpha) {
        /** Validates the ranges. */
        public ImageConfig {
            if (channels < 1 || height < 2 || width < 2) {
                throw new IllegalArgumentException(
                        "image shape must be at least (1, 2, 2), got (" + channels + ", " + height + ", " + width + ")");
            }
            if (scales < 1) {
                throw new IllegalArgumentException("scales must be >= 1, got " + scales);
            }
            int f = 1 << (scales - 1);
            if (height % f != 0 || width % f != 0) {
                throw new IllegalArgumentException("height and width must be divisible by 2^(scales-1) = " + f
                        + ", got " + height + "x" + width);
            }
            if (couplings < 1 || resBlocks < 1 || groups < 1) {
                throw new IllegalArgumentException("couplings, resBlocks and groups must be >= 1, got "
                        + couplings + ", " + resBlocks + ", " + groups);
            }
            if (hidden < 1 || hidden % groups != 0) {
                throw new IllegalArgumentException(
                        "hidden must be a positive multiple of groups (" + groups + "), got " + hidden);
            }
            if (!(logitAlpha > 0 && logitAlpha < 0.5)) {
                throw new IllegalArgumentException("logitAlpha must be in (0, 0.5), got " + logitAlpha);
            }
        }

        /**
         * @return MNIST-sized (1×28×28), 2 scales, 3 couplings per stage, 64 hidden channels, 2
         *     residual blocks, 8 groups, α = 1e-6: {@code builder().setImageShape(1, 28, 28).build()}
         */
        public static ImageConfig defaults() {
            return builder().setImageShape(1, 28, 28).build();
        }

        /**
         * A builder with the defaults of {@link Builder}; only the image shape is required.
         *
         * <pre>
         *   ImageConfig c = ImageConfig.builder().setImageShape(3, 32, 32).optScales(3).optHidden(128).build();
         * </pre>
         *
         * @return a new builder
         */
        public static Builder builder() {
            return new Builder();
        }

        /** @return a builder holding this configuration, to change a few fields */
        public Builder toBuilder() {
            return new Builder().setImageShape(channels, height, width).optScales(scales)
                    .optCouplings(couplings).optHidden(hidden).optResBlocks(resBlocks).optGroups(groups)
                    .optLogitAlpha(logitAlpha);
        }

        /** @return D = C·H·W */
        public long dims() {
            return (long) channels * height * width;
        }

        /**
         * Builds an {@link ImageConfig} (DJL style: {@code setX} required, {@code optX} with a
         * default); {@link #build()} validates through the record's constructor, whose errors name
         * the bad value and the allowed range.
         *
         * <table>
         *   <caption>ImageConfig defaults</caption>
         *   <tr><th>field</th><th>default</th><th>allowed</th></tr>
         *   <tr><td>image shape (C, H, W)</td><td>required</td><td>C &ge; 1; H, W &ge; 2 and divisible by 2^(scales − 1)</td></tr>
         *   <tr><td>scales</td><td>2</td><td>&ge; 1</td></tr>
         *   <tr><td>couplings per stage</td><td>3 (the paper's)</td><td>&ge; 1</td></tr>
         *   <tr><td>hidden channels</td><td>64</td><td>a positive multiple of groups</td></tr>
         *   <tr><td>residual blocks per conditioner</td><td>2</td><td>&ge; 1</td></tr>
         *   <tr><td>GroupNorm groups</td><td>8</td><td>&ge; 1</td></tr>
         *   <tr><td>logit α</td><td>1e-6</td><td>(0, 0.5)</td></tr>
         * </table>
         */
        public static final class Builder {

            private int channels;
            private int height;
            private int width;
            private int scales = 2;
            private int couplings = 3;
            private int hidden = 64;
            private int resBlocks = 2;
            private int groups = 8;
            private double logitAlpha = 1e-6;

            private Builder() {}

            /**
             * @param c channels of the data, at least 1
             * @param h height, at least 2 and divisible by 2^(scales − 1)
             * @param w width, at least 2 and divisible by 2^(scales − 1)
             * @return this builder
             */
            public Builder setImageShape(int c, int h, int w) {
                this.channels = c;
                this.height = h;
                this.width = w;
                return this;
            }

            /**
             * @param s levels of the multi-scale architecture, at least 1
             * @return this builder
             */
            public Builder optScales(int s) {
                this.scales = s;
                return this;
            }

            /**
             * @param k coupling layers per stage, at least 1 (the last level has k + 1)
             * @return this builder
             */
            public Builder optCouplings(int k) {
                this.couplings = k;
                return this;
            }

            /**
             * @param channels hidden channels of the default conditioners, a multiple of the groups
             * @return this builder
             */
            public Builder optHidden(int channels) {
                this.hidden = channels;
                return this;
            }

            /**
             * @param blocks residual blocks per default conditioner, at least 1
             * @return this builder
             */
            public Builder optResBlocks(int blocks) {
                this.resBlocks = blocks;
                return this;
            }

            /**
             * @param g GroupNorm groups of the default conditioners, at least 1
             * @return this builder
             */
            public Builder optGroups(int g) {
                this.groups = g;
                return this;
            }

            /**
             * @param alpha α of the logit transform, in (0, 0.5)
             * @return this builder
             */
            public Builder optLogitAlpha(double alpha) {
                this.logitAlpha = alpha;
                return this;
            }

            /**
             * @return the validated configuration
             * @throws IllegalArgumentException naming the bad value and the allowed range
             */
            public ImageConfig build() {
                if (channels == 0 && height == 0 && width == 0) {
                    throw new IllegalArgumentException("the image shape must be set (setImageShape(c, h, w))");
                }
                return new ImageConfig(channels, height, width, scales, couplings, hidden, resBlocks, groups,
                        logitAlpha);
            }
        }
    }

    /**
     * The configurations the course's topic 11-08 trains, with their training recipes, so that code
     * outside the CLI gets what the topic measured (docs/topics/11-08-normalizing-flows.md has the
     * figures and a complete snippet). The {@link VectorConfig#defaults()} and {@link
     * ImageConfig#defaults()} are starting points for your own sizes; these are tuned and measured.
     *
     * <pre>
     *   RealNvp.VectorPreset p = RealNvp.Presets.toy2d();
     *   NormalizingFlow flow = RealNvp.vector(p.model());
     *   ObjectiveStep step = p.training().step(new MaximumLikelihoodObjective(flow)).build();
     * </pre>
     */
    public static final class Presets {

        private Presets() {}

        /**
         * The 2-D densities of topic 11-08 (moons, 8 Gaussians, checkerboard; CPU profile, about a minute
         * a density on 2 cores): 16 couplings with 2 × 64 hidden units, ActNorm and rotations; 4000 Adam
         * updates of 1024 points, rate 5e-3 decayed by a cosine to 1e-4 without warm-up, gradient norm
         * clipped at 10 (it stops the rare loss spikes of the discontinuous checkerboard); ActNorm
         * initialised from 2048 points.
         *
         * @return the preset
         */
        public static VectorPreset toy2d() {
            return new VectorPreset(new VectorConfig(2, 16, 64, 2, true, true),
                    TrainingRecipe.of(4000, 1024, 5e-3, 1e-4, 0, 10), 2048);
        }

        /**
         * The 2-D densities at the topic's GPU profile: 2 × 128 hidden units, 20,000 updates of 512
         * points at 1e-3 decayed to 2e-5.
         *
         * @return the preset
         */
        public static VectorPreset toy2dLong() {
            return new VectorPreset(new VectorConfig(2, 16, 128, 2, true, true),
                    TrainingRecipe.of(20_000, 512, 1e-3, 2e-5, 0, 10), 2048);
        }

        /**
         * 28×28 grey images (FashionMNIST, MNIST) at the topic's CPU profile: 2 scales, 2 couplings per
         * stage with 32 hidden channels and one residual block; 400 updates of 32 images at 1e-3 after 40
         * warm-up updates, decayed to 5e-5, gradient norm clipped at 100; ActNorm initialised from 512
         * images in [0, 1].
         *
         * @return the preset
         */
        public static ImagePreset fashionMnist() {
            return new ImagePreset(ImageConfig.builder().setImageShape(1, 28, 28)
                    .optCouplings(2).optHidden(32).optResBlocks(1).build(),
                    TrainingRecipe.of(400, 32, 1e-3, 5e-5, 40, 100), 512);
        }

        /**
         * 28×28 grey images at the topic's GPU profile: 3 scales, 4 residual blocks, the other sizes of
         * {@link ImageConfig#defaults()}; 30,000 updates of 64 images.
         *
         * @return the preset
         */
        public static ImagePreset fashionMnistLong() {
            return new ImagePreset(ImageConfig.builder().setImageShape(1, 28, 28).optScales(3).optResBlocks(4).build(),
                    TrainingRecipe.of(30_000, 64, 1e-3, 5e-5, 100, 100), 512);
        }

        /**
         * The RealNVP of {@code gen4j compare} (the model comparison of topic 11-10), on binary 28×28 images
         * uniformly dequantized: 2 scales, 2 couplings per stage with 32 hidden channels, one residual block,
         * 8 groups; 200 Adam updates of 32 images at 1e-3 with a cosine decay to 5 % (5e-5), no warm-up, no
         * clipping; ActNorm initialised from 512 images. The comparison measured an exact NLL of 629.0 nats
         * per image of the dequantized binary images and FID 40.63 (docs/topics/11-10-autoregressive.md).
         *
         * @return the preset
         */
        public static ImagePreset comparison28() {
            return comparison(2, 32, 1, 200);
        }

        /**
         * {@link #comparison28()} at the comparison's GPU profile: 4 couplings per stage with 64 hidden
         * channels and 4 residual blocks, 30,000 updates of 32.
         *
         * @return the preset
         */
        public static ImagePreset comparison28Long() {
            return comparison(4, 64, 4, 30_000);
        }

        private static ImagePreset comparison(int couplings, int hidden, int resBlocks, int steps) {
            double lr = 1e-3;
            return new ImagePreset(ImageConfig.builder().setImageShape(1, 28, 28).optCouplings(couplings)
                    .optHidden(hidden).optResBlocks(resBlocks).optGroups(8).build(),
                    TrainingRecipe.of(steps, 32, lr, lr * 0.05, 0, 0), 512);
        }
    }

    /**
     * A RealNVP for vectors and how to train it.
     *
     * @param model the architecture
     * @param training steps, batch, learning-rate schedule, clipping
     * @param initializationPoints data points for ActNorm's data-dependent initialisation ({@link
     *     NormalizingFlow#initializeFromData}, after {@code initialize})
     */
    public record VectorPreset(VectorConfig model, TrainingRecipe training, int initializationPoints) {
        /** Validates the parts. */
        public VectorPreset {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(training, "training");
            if (initializationPoints < 1) {
                throw new IllegalArgumentException("initializationPoints must be >= 1, got " + initializationPoints);
            }
        }

        /**
         * @param recipe another training recipe (e.g. {@code training().withSteps(500)})
         * @return a copy with that recipe
         */
        public VectorPreset withTraining(TrainingRecipe recipe) {
            return new VectorPreset(model, recipe, initializationPoints);
        }
    }

    /**
     * A multi-scale RealNVP for images and how to train it.
     *
     * @param model the architecture
     * @param training steps, batch, learning-rate schedule, clipping
     * @param initializationImages images (in [0, 1]) for ActNorm's data-dependent initialisation
     */
    public record ImagePreset(ImageConfig model, TrainingRecipe training, int initializationImages) {
        /** Validates the parts. */
        public ImagePreset {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(training, "training");
            if (initializationImages < 1) {
                throw new IllegalArgumentException("initializationImages must be >= 1, got " + initializationImages);
            }
        }

        /**
         * @param recipe another training recipe
         * @return a copy with that recipe
         */
        public ImagePreset withTraining(TrainingRecipe recipe) {
            return new ImagePreset(model, recipe, initializationImages);
        }
    }

    /**
     * @param config hyperparameters
     * @return a RealNVP flow for vectors on a standard Gaussian with affine couplings ({@link
     *     CouplingFactory#affineMlp} of the config's {@code hidden} and {@code layers}), uninitialised
     */
    public static NormalizingFlow vector(VectorConfig config) {
        return vector(config, CouplingFactory.affineMlp(config.hidden(), config.layers()));
    }

    /**
     * @param config hyperparameters (its {@code hidden} and {@code layers} are not used: the factory
     *     sizes its own conditioners)
     * @param couplings makes coupling k from (checkerboard mask, flipped for odd k, D, k)
     * @return a RealNVP-shaped flow for vectors on a standard Gaussian, uninitialised
     */
    public static NormalizingFlow vector(VectorConfig config, CouplingFactory couplings) {
        Objects.requireNonNull(couplings, "couplings");
        List<FlowTransform> layers = new ArrayList<>();
        for (int k = 0; k < config.couplings(); k++) {
            if (config.actNorm()) {
                layers.add(new ActNorm());
            }
            if (config.rotations()) {
                layers.add(new FixedOrthogonal(ROTATION_SEED + k));
            }
            layers.add(create(couplings, CouplingMask.CHECKERBOARD, k % 2 == 1, config.dims(), k));
        }
        return new NormalizingFlow(new CompositeTransform(layers), new StandardGaussian());
    }

    /**
     * @param config hyperparameters
     * @return a multi-scale RealNVP for 8-bit images given as pixel values k/255 in [0, 1], with
     *     affine couplings ({@link CouplingFactory#affineResidual} of the config's {@code hidden},
     *     {@code resBlocks} and {@code groups}), uninitialised
     */
    public static NormalizingFlow image(ImageConfig config) {
        return image(config, CouplingFactory.affineResidual(config.hidden(), config.resBlocks(), config.groups()));
    }

    /**
     * @param config hyperparameters (its {@code hidden}, {@code resBlocks} and {@code groups} are not
     *     used: the factory sizes its own conditioners)
     * @param couplings makes every coupling from (mask, flipped, channels at that scale, index),
     *     indices counting 0, 1, 2, … in the data → latent direction
     * @return a multi-scale RealNVP-shaped flow for 8-bit images given as pixel values k/255 in [0,
     *     1], uninitialised
     */
    public static NormalizingFlow image(ImageConfig config, CouplingFactory couplings) {
        Objects.requireNonNull(couplings, "couplings");
        List<FlowTransform> layers = new ArrayList<>();
        layers.add(new UniformDequantization());
        layers.add(new LogitTransform(config.logitAlpha()));
        layers.add(level(config, couplings, new int[1], config.channels(), config.scales()));
        return new NormalizingFlow(new CompositeTransform(layers), new StandardGaussian());
    }

    private static FlowTransform level(ImageConfig config, CouplingFactory couplings, int[] index, int c,
            int scalesLeft) {
        List<FlowTransform> layers = new ArrayList<>();
        int checker = scalesLeft == 1 ? config.couplings() + 1 : config.couplings();
        for (int k = 0; k < checker; k++) {
            layers.add(new ActNorm());
            layers.add(create(couplings, CouplingMask.CHECKERBOARD, k % 2 == 1, c, index[0]++));
        }
        if (scalesLeft > 1) {
            layers.add(new Squeeze());
            for (int k = 0; k < config.couplings(); k++) {
                layers.add(new ActNorm());
                layers.add(create(couplings, CouplingMask.CHANNEL, k % 2 == 1, 4 * c, index[0]++));
            }
            layers.add(new FactorOut(level(config, couplings, index, 2 * c, scalesLeft - 1)));
            layers.add(new Unsqueeze());
        }
        return new CompositeTransform(layers);
    }

    private static FlowTransform create(CouplingFactory couplings, CouplingMask mask, boolean flipped, int channels,
            int index) {
        FlowTransform t = couplings.create(mask, flipped, channels, index);
        if (t == null) {
            throw new IllegalStateException("the coupling factory returned null for coupling " + index);
        }
        return t;
    }
}
