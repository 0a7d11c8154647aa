package io.gen4j.examples.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.gen4j.autoencoders.KlAutoencoderModel;
import io.gen4j.autoencoders.KlAutoencoderSpec;
import io.gen4j.autoencoders.Vae;
import io.gen4j.autoregressive.PixelCnn;
import io.gen4j.autoregressive.PixelCnnConfig;
import io.gen4j.autoregressive.PixelCnnModel;
import io.gen4j.autoregressive.PixelCnnSampler;
import io.gen4j.autoregressive.PixelCnnSpec;
import io.gen4j.autoregressive.PixelOutput;
import io.gen4j.autoregressive.WaveNetConfig;
import io.gen4j.autoregressive.WaveNetModel;
import io.gen4j.autoregressive.WaveNetSpec;
import io.gen4j.autoencoders.VaeModel;
import io.gen4j.autoencoders.VaePreset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.SpatialTransformer;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainingStep;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.DdpmObjective;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.diffusion.latent.LatentDiffusionFamily;
import io.gen4j.diffusion.latent.LatentDiffusionModel;
import io.gen4j.diffusion.latent.LatentDiffusionPreset;
import io.gen4j.diffusion.text.LabelCaptions;
import io.gen4j.diffusion.text.TextEncoderConfig;
import io.gen4j.diffusion.text.WordTokenizer;
import io.gen4j.examples.topics.GanBenchmark;
import io.gen4j.examples.topics.ddpm.DdpmBenchmark;
import io.gen4j.flows.MaximumLikelihoodObjective;
import io.gen4j.flows.NormalizingFlow;
import io.gen4j.flows.FlowSampler;
import io.gen4j.flows.RealNvp;
import io.gen4j.gans.GanModel;
import io.gen4j.gans.GanTraining;
import io.gen4j.score.flow.Coupling;
import io.gen4j.score.flow.FlowMatchingModel;
import io.gen4j.score.flow.FlowMatchingSpec;
import io.gen4j.score.nn.MlpFieldConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The reference models of {@code gen4j bench}, one per family, with the sizes of the PyTorch
 * references in {@code bench/pytorch/} (the two must change together).
 */
public final class Workloads {

    /** The families {@code bench --family} accepts (besides {@code all}). */
    public static final List<String> FAMILIES =
            List.of("ddpm", "vae", "realnvp", "dcgan", "flow-matching", "pixelcnn", "wavenet", "latent-diffusion");

    private Workloads() {}

    /**
     * @param family one of {@link #FAMILIES}
     * @param batch the batch size, or 0 for the family's reference batch
     * @return the workload on the engine's default device, drawing its inputs with the engine's generator
     *     ({@link Inputs#ENGINE}), built and initialised with engine seed 0
     */
    public static Workload create(String family, int batch) {
        return create(family, batch, null, Inputs.ENGINE);
    }

    /**
     * @param family one of {@link #FAMILIES}
     * @param batch the batch size, or 0 for the family's reference batch
     * @param device where the workload's parameters live and its steps run; null for the engine's default
     *     device (a GPU when the engine sees one)
     * @param inputs where its training batches (and the DDPM sampler's starting noise) come from
     * @return the workload, built and initialised with engine seed 0 (on a GPU the initial parameters come
     *     from the device's own generator, so they differ from the CPU's)
     */
    public static Workload create(String family, int batch, Device device, Inputs inputs) {
        Engine.getInstance().setRandomSeed(0);
        Setup s = new Setup(device, inputs);
        return switch (family) {
            case "ddpm" -> new Ddpm(batch > 0 ? batch : 64, s);
            case "vae" -> new VaeWorkload(batch > 0 ? batch : 128, s);
            case "realnvp" -> new RealNvpWorkload(batch > 0 ? batch : 256, s);
            case "dcgan" -> new Dcgan(batch > 0 ? batch : 64, s);
            case "flow-matching" -> new FlowMatchingWorkload(batch > 0 ? batch : 256, s);
            case "pixelcnn" -> new PixelCnnWorkload(batch > 0 ? batch : 32, s);
            case "wavenet" -> new WaveNetWorkload(batch > 0 ? batch : 16, s);
            case "latent-diffusion" -> new LatentDiffusionWorkload(batch > 0 ? batch : 64, s);
            default -> throw new IllegalArgumentException("family must be one of " + FAMILIES + " or all, got "
                    + family);
        };
    }

    /**
     * 2 × the weights of the fully connected layers: the multiply-adds of an MLP's forward pass per
     * example (the biases and activations are not counted).
     */
    static double mlpForwardFlopsPerExample(Block block) {
        double macs = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            if (p.getKey().endsWith("weight") && w.getShape().dimension() == 2) {
                macs += w.size();
            }
        }
        return 2 * macs;
    }

    /** The U-Net of {@code bench-ddpm}: a DDPM training step and a DDIM step (one U-Net evaluation). */
    static final class Ddpm extends OwnedWorkload {
        private static final int SAMPLER_STEPS = 10;
        private final UNet unet;
        private final ObjectiveStep step;
        private final DiffusionModel eval;
        private final Shape shape;

        Ddpm(int batch, Setup setup) {
            super(batch, setup);
            UNetConfig config = DdpmBenchmark.referenceConfig();
            shape = new Shape(batch, 1, 32, 32);
            unet = new UNet(config);
            unet.initialize(manager, DataType.FLOAT32, shape, new Shape(batch));
            NoiseSchedule schedule = NoiseSchedule.linear(1000);
            step = ObjectiveStep.builder()
                    .setObjective(DdpmObjective.simple(unet, schedule, Prediction.EPSILON))
                    .setOptimizer(AdamW.factory(LearningRateSchedule.constant(2e-4), AdamConfig.defaults()))
                    .optName("unet").optClipNorm(1.0).build();
            eval = new DiffusionModel(unet.denoiser(new ParameterStore(manager, false), false), schedule,
                    Prediction.EPSILON).withClipX0(1);
        }

        @Override
        public String family() {
            return "ddpm";
        }

        @Override
        public String description() {
            return String.format(Locale.ROOT, "U-Net 32/64/128, attention at 8x8, 1x32x32, %,d parameters, AdamW,"
                    + " clip 1", unet.parameterCount());
        }

        @Override
        public double trainFlops() {
            return 3 * sampleFlops();
        }

        @Override
        public double sampleFlops() {
            return 2.0 * unet.macsPerExample() * batch;
        }

        @Override
        public void trainStep(NDManager scope, long i) {
            losses = step.step(new NDList(inputs.uniform(scope, -1, 1, shape)), i);
        }

        @Override
        public void sampleStep(NDManager scope) {
            sampled = DdimSampler.deterministic().sample(eval, inputs.normal(scope, shape),
                    TimeGrid.spaced(1000, SAMPLER_STEPS, Spacing.LINSPACE), Condition.none(), false).samples();
        }

        @Override
        public int sampleUnits() {
            return SAMPLER_STEPS;
        }

        @Override
        public String sampleUnit() {
            return "one DDIM step (one U-Net evaluation), of a 10-step DDIM sample";
        }
    }

    /** Topic 11-02's VAE at the CPU profile: MLP 784-256-2x16 / 16-256-784, Bernoulli decoder. */
    static final class VaeWorkload extends OwnedWorkload {
        private final Vae vae;
        private final TrainingStep step;

        VaeWorkload(int batch, Setup setup) {
            super(batch, setup);
            VaePreset preset = VaePreset.binarized28();
            vae = VaeModel.create(preset.spec(), manager).network();
            step = preset.training().withBatchSize(batch).step(vae.objective()).optName("vae").build();
        }

        @Override
        public String family() {
            return "vae";
        }

        @Override
        public String description() {
            return "MLP VAE 784-256-(2x16) / 16-256-784, Bernoulli decoder, Adam (topic 11-02 cpu preset)";
        }

        @Override
        public double trainFlops() {
            return 3 * mlpForwardFlopsPerExample(vae) * batch;
        }

        @Override
        public double sampleFlops() {
            return mlpForwardFlopsPerExample(vae.decoder()) * batch;
        }

        @Override
        public void trainStep(NDManager scope, long i) {
            NDArray x = inputs.uniform(scope, 0, 1, new Shape(batch, 1, 28, 28)).gt(0.5f)
                    .toType(DataType.FLOAT32, false);
            losses = step.step(new NDList(x), i);
        }

        @Override
        public void sampleStep(NDManager scope) {
            sampled = vae.sample(scope, batch);
        }

        @Override
        public String sampleUnit() {
            return "prior sample + decoder";
        }
    }

    /** RealNVP on 2-D points, topic 11-04's cpu preset: 16 couplings, MLP 2x64, ActNorm, rotations. */
    static final class RealNvpWorkload extends OwnedWorkload {
        private final NormalizingFlow flow;
        private final TrainingStep step;
        private FlowSampler sampler;

        RealNvpWorkload(int batch, Setup setup) {
            super(batch, setup);
            RealNvp.VectorPreset preset = RealNvp.Presets.toy2d();
            flow = RealNvp.vector(preset.model());
            flow.initialize(manager, DataType.FLOAT32, new Shape(batch, 2));
            flow.initializeFromData(manager.randomNormal(new Shape(2048, 2)));
            step = preset.training().withBatchSize(batch).step(new MaximumLikelihoodObjective(flow))
                    .optName("flow").build();
        }

        @Override
        public String family() {
            return "realnvp";
        }

        @Override
        public String description() {
            return "RealNVP 2-D: 16 affine couplings (MLP 2-64-64-4, SiLU), ActNorm, rotations, Adam, clip 10";
        }

        @Override
        public double trainFlops() {
            return 3 * mlpForwardFlopsPerExample(flow) * batch;
        }

        @Override
        public double sampleFlops() {
            return mlpForwardFlopsPerExample(flow) * batch;
        }

        @Override
        public void trainStep(NDManager scope, long i) {
            losses = step.step(new NDList(inputs.normal(scope, new Shape(batch, 2))), i);
            if (sampler != null) { // the parameters changed: the next sampling phase prepares again
                sampler.close();
                sampler = null;
            }
        }

        /**
         * One chunk of a {@link FlowSampler} prepared once per sampling phase (as a loop of chunks, {@code
         * gen4j sample} or {@code ChunkedSampleable}, uses it), not {@code flow.sample}, which prepares nothing
         * and issues 5 operations more per block (both in docs/performance.md).
         */
        @Override
        public void sampleStep(NDManager scope) {
            if (sampler == null) {
                sampler = flow.sampler(manager);
            }
            sampled = sampler.sample(scope, batch);
        }

        @Override
        public String sampleUnit() {
            return "base sample + inverse flow, prepared once";
        }
    }

    /** The DCGAN of {@code bench-gan} (non-saturating loss): a D and a G update; sampling is G's forward. */
    static final class Dcgan extends OwnedWorkload {
        private final GanModel model;
        private final TrainingStep step;

        Dcgan(int batch, Setup setup) {
            super(batch, setup);
            model = GanModel.create(GanBenchmark.spec(), manager);
            step = GanTraining.builder(model).build();
        }

        @Override
        public String family() {
            return "dcgan";
        }

        @Override
        public String description() {
            return "DCGAN latent 64, 32 base channels, 1x28x28, non-saturating loss, Adam (bench-gan)";
        }

        @Override
        public void trainStep(NDManager scope, long i) {
            losses = step.step(new NDList(inputs.uniform(scope, -1, 1, new Shape(batch, 1, 28, 28))), i);
        }

        @Override
        public void sampleStep(NDManager scope) {
            sampled = model.sample(scope, batch, SampleOptions.defaults());
        }

        @Override
        public String sampleUnit() {
            return "generator forward";
        }
    }

    /**
     * Where a workload's training batches come from (the workloads draw them fresh every step).
     */
    public interface Inputs {

        /**
         * The engine's generator on the scope's device ({@code scope.randomUniform}/{@code randomNormal}):
         * what {@code gen4j bench} uses. The numbers depend on the device (CPU and CUDA generators differ).
         */
        Inputs ENGINE = new Inputs() {
            @Override
            public NDArray uniform(NDManager scope, float low, float high, Shape shape) {
                return scope.randomUniform(low, high, shape);
            }

            @Override
            public NDArray normal(NDManager scope, Shape shape) {
                return scope.randomNormal(shape);
            }
        };

        /**
         * @param scope the manager of the array (and so its device)
         * @param low the lower bound (inclusive)
         * @param high the upper bound (exclusive)
         * @param shape the shape
         * @return uniform float32 values
         */
        NDArray uniform(NDManager scope, float low, float high, Shape shape);

        /**
         * @param scope the manager of the array (and so its device)
         * @param shape the shape
         * @return standard normal float32 values
         */
        NDArray normal(NDManager scope, Shape shape);

        /**
         * Draws on the host with {@link Random} and copies to the scope's device: one seed gives the same
         * numbers on every device, in the order they are asked for (for comparing devices, not for speed:
         * every draw crosses from the host).
         *
         * @param seed the seed
         * @return a new, stateful source
         */
        static Inputs host(long seed) {
            Random random = new Random(seed);
            return new Inputs() {
                @Override
                public NDArray uniform(NDManager scope, float low, float high, Shape shape) {
                    float[] v = new float[Math.toIntExact(shape.size())];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = low + (high - low) * random.nextFloat();
                    }
                    return scope.create(v, shape);
                }

                @Override
                public NDArray normal(NDManager scope, Shape shape) {
                    float[] v = new float[Math.toIntExact(shape.size())];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = (float) random.nextGaussian();
                    }
                    return scope.create(v, shape);
                }
            };
        }
    }

    /** The device and input source of a workload being built. */
    private record Setup(Device device, Inputs inputs) {}

    /**
     * Base of the workloads: owns one manager (closed by {@link #close()}) and the batch size; FLOP counts
     * are unknown (NaN) unless a workload overrides them.
     */
    abstract static class OwnedWorkload implements Workload {
        final NDManager manager;
        final int batch;
        final Inputs inputs;
        /** The metrics of the last training step (loss, its terms, lr), null before the first. */
        Map<String, Double> losses;
        /** The last sampler output, in the scope of its step (valid until the caller closes it). */
        NDArray sampled;

        OwnedWorkload(int batch, Setup setup) {
            this.batch = batch;
            this.manager = NDManager.newBaseManager(setup.device());
            this.inputs = setup.inputs();
        }

        static ObjectiveStep adam(io.gen4j.core.train.Objective objective, double lr, String name) {
            return ObjectiveStep.builder().optName(name).setObjective(objective)
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(lr), AdamConfig.defaults())).build();
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public double trainFlops() {
            return Double.NaN;
        }

        @Override
        public double sampleFlops() {
            return Double.NaN;
        }

        /** @return the last sampler output on the host, read while its scope is open; null before one */
        float[] lastSample() {
            return sampled == null ? null : sampled.toType(DataType.FLOAT32, false).toFloatArray();
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /**
     * Flow matching on 2-D points, topic 11-09's cpu toy model: MLP velocity field 2-128x3 (time
     * embedding 32), straight path, independent coupling, Adam 3e-3; sampler: Euler steps.
     */
    static final class FlowMatchingWorkload extends OwnedWorkload {
        private static final int SAMPLER_STEPS = 100;
        private final FlowMatchingModel model;
        private final ObjectiveStep step;

        FlowMatchingWorkload(int batch, Setup setup) {
            super(batch, setup);
            model = FlowMatchingModel.create(FlowMatchingSpec.vector(new MlpFieldConfig(2, 128, 3, 32, 1000),
                    FlowMatchingSpec.Path.STRAIGHT), manager);
            step = adam(model.objective(Coupling.INDEPENDENT, false), 3e-3, "flow-matching");
        }

        @Override
        public String family() {
            return "flow-matching";
        }

        @Override
        public String description() {
            return "flow matching 2-D: MLP field 2-128x3 (time 32), straight path, Adam (topic 11-09 cpu toy)";
        }

        @Override
        public double trainFlops() {
            return 3 * mlpForwardFlopsPerExample(model.network()) * batch;
        }

        @Override
        public double sampleFlops() {
            return mlpForwardFlopsPerExample(model.network()) * batch;
        }

        @Override
        public void trainStep(NDManager scope, long i) {
            losses = step.step(new NDList(inputs.normal(scope, new Shape(batch, 2))), i);
        }

        @Override
        public void sampleStep(NDManager scope) {
            sampled = model.sample(scope, batch, SampleOptions.defaults().withSteps(SAMPLER_STEPS));
        }

        @Override
        public int sampleUnits() {
            return SAMPLER_STEPS;
        }

        @Override
        public String sampleUnit() {
            return "one Euler step (one field evaluation), of a 100-step sample";
        }
    }

    /**
     * PixelCNN at the comparison's cpu profile: gated, 32 channels, 4 layers, 7x7 first mask, Bernoulli
     * output, 1x28x28, Adam 2e-3, batch 32; sampler: a whole sample of the batch by the pixel-cached raster
     * sampler, timed per pixel.
     */
    static final class PixelCnnWorkload extends OwnedWorkload {
        private final PixelCnnModel model;
        private final ObjectiveStep step;

        PixelCnnWorkload(int batch, Setup setup) {
            super(batch, setup);
            model = PixelCnnModel.create(PixelCnnSpec.of(new PixelCnnConfig(28, 28,
                    PixelCnnConfig.Architecture.GATED, 32, 4, 7, 3, PixelOutput.BERNOULLI, 1, 0)), manager);
            step = adam(model.objective(), 2e-3, "pixelcnn");
        }

        @Override
        public String family() {
            return "pixelcnn";
        }

        @Override
        public String description() {
            return "PixelCNN gated 32 ch x 4 layers, Bernoulli, 1x28x28, Adam (comparison cpu profile)";
        }

        @Override
        public void trainStep(NDManager scope, long i) {
            NDArray x = inputs.uniform(scope, 0, 1, new Shape(batch, 1, 28, 28)).gt(0.5f)
                    .toType(DataType.FLOAT32, false);
            losses = step.step(new NDList(x), i);
        }

        /**
         * A whole sample of the batch by the gated architecture's default sampler ({@link
         * PixelCnnSampler#PIXEL_CACHED}, {@link PixelCnnModel#sample}): per row the vertical stack on the row just drawn,
         * then the row's 28 pixels, each the horizontal stack's layers at the pixel's column from the activations kept
         * from the pixels to its left, the head and one Bernoulli draw written into the image in place. Nothing is read
         * back to the host.
         */
        @Override
        public void sampleStep(NDManager scope) {
            sampled = model.sample(scope, batch, SampleOptions.defaults());
        }

        @Override
        public int sampleUnits() {
            return model.spec().config().height() * model.spec().config().width();
        }

        @Override
        public String sampleUnit() {
            return "one pixel of a whole 28x28 sample by the pixel-cached raster sampler (per row the vertical stack on"
                    + " the row just drawn; per pixel the horizontal stack's layers and the head at the pixel's column +"
                    + " one Bernoulli draw)";
        }
    }

    /**
     * WaveNet at topic 11-10's cpu profile: 32 residual / 64 skip channels, 8 dilated layers, kernel 2,
     * 256 mu-law classes, clips of 512 samples (0.128 s at 4 kHz), Adam 3e-3, batch 16; sampler: the
     * cached (queue) generator.
     */
    static final class WaveNetWorkload extends OwnedWorkload {
        private static final int LENGTH = 512;
        private static final int GENERATED = 256;
        private final WaveNetModel model;
        private final ObjectiveStep step;

        WaveNetWorkload(int batch, Setup setup) {
            super(batch, setup);
            model = WaveNetModel.create(WaveNetSpec.of(new WaveNetConfig(32, 64, 8, 1, 2, 256), 4000, LENGTH), manager);
            step = adam(model.objective(), 3e-3, "wavenet");
        }

        @Override
        public String family() {
            return "wavenet";
        }

        @Override
        public String description() {
            return "WaveNet 32/64 ch, 8 dilated layers, 256 mu-law classes, 512-sample clips, Adam (topic 11-10 cpu)";
        }

        @Override
        public void trainStep(NDManager scope, long i) {
            losses = step.step(new NDList(inputs.uniform(scope, -1, 1, new Shape(batch, 1, LENGTH))), i);
        }

        @Override
        public void sampleStep(NDManager scope) {
            sampled = model.sample(scope, batch, GENERATED, 1.0, true);
        }

        @Override
        public int sampleUnits() {
            return GENERATED;
        }

        @Override
        public String sampleUnit() {
            return "one generated sample (one cached step), of 256";
        }
    }

    /**
     * Latent diffusion at topic 11-06's cpu preset ({@link LatentDiffusionPreset#textToImage32()}), on
     * FashionMNIST padded to 1x32x32 as the preset's measured run: the KL autoencoder (width 32, c_z = 4,
     * f = 4), the latent U-Net 64/128 with spatial transformers (4 heads) at the 4x4 level and in the middle,
     * cross-attending to a text encoder of width 64, 2 layers, 4 heads over the topic's FashionMNIST
     * captions. Training step = the topic's: ε-MSE on 4x8x8 latents (the topic encodes the training images
     * once with the frozen autoencoder, so the step does not run the encoder), captions tokenized, the null
     * caption with probability 0.1, the text encoder and the U-Net trained jointly, AdamW on the preset's
     * warm-up + cosine schedule, clip 1, EMA 0.995. Sampler unit = one guided DDIM step of the preset's 20:
     * one U-Net evaluation of the batch's captions and null captions together (2 x batch), then the
     * guidance combine at w = 3; the prompts are encoded once, before the sampler, as the pipeline does.
     */
    static final class LatentDiffusionWorkload extends OwnedWorkload {
        private final LatentDiffusionPreset preset = LatentDiffusionPreset.textToImage32();
        private final LabelCaptions captions = LabelCaptions.FASHION_MNIST;
        private final Random random = new Random(0);
        private final WordTokenizer tokenizer;
        private final LatentDiffusionModel model;
        private final ObjectiveStep step;
        private final Shape latents;
        private final DiffusionModel guided;
        private final Condition prompts;
        private final TimeGrid grid;
        private final long codecParameters;
        private final double unetMacs;
        private final double textMacs;

        LatentDiffusionWorkload(int batch, Setup setup) {
            super(batch, setup);
            LatentDiffusionPreset.Autoencoder stage = preset.autoencoder();
            DataSpec images = DataSpec.image(1, 32, 32, PixelRange.MINUS_ONE_ONE);
            KlAutoencoderModel codec = KlAutoencoderModel.create(new KlAutoencoderSpec(stage.latentChannels(),
                    stage.width(), stage.klWeight(), 1.0, images), manager);
            codecParameters = parameterCount(codec.network());
            tokenizer = WordTokenizer.of(captions.vocabulary(), captions.maxWords());
            model = LatentDiffusionFamily.create(preset.spec(codec, tokenizer, captions.prompts(), images), codec,
                    manager);
            step = preset.step(preset.objective(model.diffusionNetwork())).optName("ldm").build();
            latents = new Shape(batch).addAll(codec.latentShape());
            guided = model.guidedModel(new ParameterStore(manager, false), preset.guidanceScale(), manager);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                texts.add(captions.prompt(i % captions.classes()));
            }
            prompts = model.condition(texts, manager);
            grid = model.grid(SampleOptions.defaults());
            UNet unet = model.diffusionNetwork().unet();
            TextEncoderConfig text = model.spec().text().encoder();
            unetMacs = unet.macsPerExample() + contextMacs(unet, codec.latentShape(), text.length(), text.width());
            textMacs = textEncoderMacs(text);
        }

        /**
         * The multiply-adds {@link UNet#macsPerExample()} leaves out: it counts each spatial transformer
         * for a context of one token of width 1; this adds, per transformer, the key and value projections
         * of the L x D context and the products of the H·W queries with L keys
         * ({@link SpatialTransformer#macs} at (L, D) minus at (1, 1)). The preset's transformers all sit at
         * the lowest resolution (attention level = the last level, and the middle).
         */
        static long contextMacs(UNet unet, Shape latent, int length, int width) {
            UNetConfig c = unet.config();
            int last = c.levels() - 1;
            if (!java.util.Arrays.equals(c.attentionLevels(), new int[] {last})) {
                throw new IllegalStateException("the count assumes attention at the last level only, got "
                        + java.util.Arrays.toString(c.attentionLevels()));
            }
            long hw = (latent.get(1) >> last) * (latent.get(2) >> last);
            long macs = 0;
            for (Block b : unet.contextBlocks()) {
                SpatialTransformer st = (SpatialTransformer) b;
                macs += st.macs(hw, length, width) - st.macs(hw, 1, 1);
            }
            return macs;
        }

        /**
         * Multiply-adds of the text encoder per caption: per layer the qkv (3D²), output (D²) and MLP (8D²)
         * products of L tokens and the attention products (2·L²·D); the embedding lookup is not counted.
         */
        static long textEncoderMacs(TextEncoderConfig t) {
            long l = t.length();
            long d = t.width();
            return t.depth() * (12 * l * d * d + 2 * l * l * d);
        }

        static long parameterCount(Block block) {
            long count = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                count += p.getValue().getArray().size();
            }
            return count;
        }

        @Override
        public String family() {
            return "latent-diffusion";
        }

        @Override
        public String description() {
            TextEncoderConfig t = model.spec().text().encoder();
            return String.format(Locale.ROOT, "latent diffusion (topic 11-06 cpu preset): U-Net 64/128 + spatial"
                    + " transformers on %s latents (%,d parameters), text encoder %d x %d layers, %d heads, V %d,"
                    + " L %d (%,d), KL autoencoder c 32, frozen, not in the steps (%,d); AdamW, clip 1, EMA,"
                    + " p_uncond %.1f; CFG w %.0f", latents.slice(1), model.diffusionNetwork().unet().parameterCount(),
                    t.width(), t.depth(), t.heads(), t.vocabularySize(), t.length(),
                    parameterCount(model.diffusionNetwork().text().orElseThrow()), codecParameters,
                    preset.conditionDropout(), preset.guidanceScale());
        }

        /** 3 x the forward multiply-adds x 2: U-Net and text encoder, each example of the batch. */
        @Override
        public double trainFlops() {
            return 3 * 2.0 * (unetMacs + textMacs) * batch;
        }

        /** One U-Net forward of 2 x batch examples (the guided batch); the combine is not counted. */
        @Override
        public double sampleFlops() {
            return 2.0 * unetMacs * 2 * batch;
        }

        @Override
        public void trainStep(NDManager scope, long i) {
            List<String> texts = new ArrayList<>();
            for (int k = 0; k < batch; k++) {
                texts.add(captions.caption(random.nextInt(captions.classes()), random));
            }
            NDList tokens = tokenizer.encode(texts, scope);
            losses = step.step(new NDList(inputs.normal(scope, latents), tokens.get(0), tokens.get(1)), i);
        }

        @Override
        public void sampleStep(NDManager scope) {
            sampled = new DdimSampler(model.spec().sampling().eta()).sample(guided, inputs.normal(scope, latents),
                    grid, prompts, false).samples();
        }

        @Override
        public int sampleUnits() {
            return grid.size();
        }

        @Override
        public String sampleUnit() {
            return "one guided DDIM step (one U-Net evaluation of captions + null captions, 2 x batch, and the"
                    + " guidance combine), of a " + grid.size() + "-step sample";
        }
    }
}
