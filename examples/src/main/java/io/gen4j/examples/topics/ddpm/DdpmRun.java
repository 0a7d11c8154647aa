package io.gen4j.examples.topics.ddpm;

import io.gen4j.examples.topics.TopicData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.ShuffledBatches;
import io.gen4j.core.io.CheckpointStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.Condition;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.MetricsFormat;
import io.gen4j.core.train.MetricsLog;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.StepEnd;
import io.gen4j.diffusion.DdpmObjective;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.TimeGrid;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DDPM recipe shared by topic 11-05, the quickstart and the {@code sample} command: find the
 * data, build the U-Net, train it with {@link Fit} (AdamW, cosine learning rate, clipping, EMA),
 * save the EMA weights, and sample from them.
 */
public final class DdpmRun {


    /** Name of the folder, inside a run directory, that holds the sampling model. */
    public static final String MODEL_DIR = "model";

    /**
     * What the {@code sample} command needs to rebuild the model.
     *
     * @param unet the network
     * @param schedule the schedule family
     * @param diffusionSteps T
     * @param prediction the network's parameterisation
     * @param dataset the dataset it was trained on
     * @param channels image channels
     * @param height image height
     * @param width image width
     */
    public record ModelSpec(
            UNetConfig unet,
            NoiseSchedule.Type schedule,
            int diffusionSteps,
            Prediction prediction,
            DatasetId dataset,
            int channels,
            int height,
            int width) {}


    private final NDManager manager;
    private final UNet unet;
    private final ModelSpec spec;
    private final NoiseSchedule schedule;
    private final List<double[]> losses = new ArrayList<>();

    private DdpmRun(NDManager manager, UNet unet, ModelSpec spec) {
        this.manager = manager;
        this.unet = unet;
        this.spec = spec;
        this.schedule = spec.schedule().create(spec.diffusionSteps());
    }

    /**
     * Loads the dataset a DDPM run asks for; when it cannot be had, falls back to FashionMNIST (for
     * CIFAR-10) or MNIST (for FashionMNIST), saying so in one line. Images are padded to {@code
     * padTo} when positive.
     *
     * @param wanted the dataset asked for
     * @param dataPath an explicit location, tried first
     * @param padTo pad images to this square size, or 0 for the native size
     * @return the data and a note
     * @throws IOException when neither is found
     */
    public static TopicData loadData(DatasetId wanted, Optional<Path> dataPath, int padTo) throws IOException {
        DatasetId fallback = wanted == DatasetId.FASHION_MNIST ? DatasetId.MNIST : DatasetId.FASHION_MNIST;
        return TopicData.load(wanted, fallback, dataPath).padTo(padTo);
    }

    /**
     * Builds a fresh model for a dataset.
     *
     * @param manager the manager that owns the parameters (closed by the caller)
     * @param config the run configuration
     * @param data the data (fixes channels and size)
     * @return the run
     */
    public static DdpmRun create(NDManager manager, DdpmRunConfig config, TopicData data) {
        ModelSpec spec = new ModelSpec(config.unet(), config.schedule(), config.diffusionSteps(),
                config.prediction(), config.dataset(), data.train().channels(),
                data.train().height(), data.train().width());
        UNet unet = new UNet(config.unet());
        unet.initialize(manager, DataType.FLOAT32,
                new Shape(config.batch(), spec.channels(), spec.height(), spec.width()),
                new Shape(config.batch()));
        return new DdpmRun(manager, unet, spec);
    }

    /**
     * Loads a model saved by {@link #saveModel}.
     *
     * @param manager the manager that will own the parameters
     * @param runDirectory the run directory (or its {@value #MODEL_DIR} folder)
     * @return the run, ready to sample
     * @throws IOException when the files are missing or invalid
     */
    public static DdpmRun load(NDManager manager, Path runDirectory) throws IOException {
        Path dir = Files.isDirectory(runDirectory.resolve(MODEL_DIR))
                ? runDirectory.resolve(MODEL_DIR)
                : runDirectory;
        Path json = dir.resolve("model.json");
        Path params = dir.resolve("unet.params");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(params)) {
            throw new IOException("no saved model in " + dir + " (expected model.json and unet.params;"
                    + " run the quickstart or topic 11-05 first)");
        }
        ModelSpec spec = new ObjectMapper().readValue(json.toFile(), ModelSpec.class);
        UNet unet = new UNet(spec.unet());
        unet.initialize(manager, DataType.FLOAT32,
                new Shape(1, spec.channels(), spec.height(), spec.width()), new Shape(1));
        try (DataInputStream in = new DataInputStream(Files.newInputStream(params))) {
            unet.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("invalid parameters in " + params + ": " + e.getMessage(), e);
        }
        return new DdpmRun(manager, unet, spec);
    }

    /** @return the network */
    public UNet unet() {
        return unet;
    }

    /** @return what the model is */
    public ModelSpec spec() {
        return spec;
    }

    /** @return the noise schedule */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** @return (step, loss) of every training step so far */
    public List<double[]> losses() {
        return List.copyOf(losses);
    }

    /**
     * Trains with L_simple. Checkpoints go to the run directory, metrics to {@code metrics.csv}.
     *
     * @param config the configuration
     * @param data the data
     * @param run the run directory
     * @param seed the seed of the batch order and of every step
     * @param extra listeners (e.g. a progress bar)
     * @return the fit result and the EMA, whose weights the caller swaps in to sample
     * @throws IOException when the metrics log cannot be written
     */
    public Trained train(DdpmRunConfig config, TopicData data, RunDirectory run, long seed,
            List<FitListener> extra) throws IOException {
        ShuffledBatches batches = data.train().batches(config.batch(), seed, true,
                PixelRange.MINUS_ONE_ONE);
        ObjectiveStep step = ObjectiveStep.builder()
                .setObjective(DdpmObjective.simple(unet, schedule, spec.prediction()))
                .setOptimizer(AdamW.factory(
                        LearningRateSchedule.cosine(config.learningRate(), config.learningRate() / 10,
                                config.warmupSteps(), config.trainSteps()),
                        AdamConfig.defaults()))
                .optName("unet")
                .optClipNorm(1.0)
                .optEma(new EmaConfig(config.emaDecay(), true))
                .build();
        Ema ema = step.ema();
        CheckpointStore checkpoints = new CheckpointStore(run.checkpoints(), 1, step.state(),
                batches, seed, RunDirectory.toJson(config));
        try (MetricsLog log = new MetricsLog(run.metricsCsv(), MetricsFormat.CSV, 10)) {
            Fit.Builder fit = Fit.builder()
                    .setStep(step)
                    .setSource(batches)
                    .setManager(manager)
                    .optTotalSteps(config.trainSteps())
                    .optSeed(seed)
                    .optCheckpointEvery(Math.max(1, config.trainSteps()), checkpoints)
                    .addListener(log)
                    .addListener(new FitListener() {
                        @Override
                        public void onStepEnd(StepEnd e) {
                            losses.add(new double[] {e.step(), e.metrics().get("loss")});
                        }
                    });
            extra.forEach(fit::addListener);
            FitResult result = fit.build().run();
            return new Trained(result, ema);
        }
    }

    /**
     * The outcome of {@link #train}.
     *
     * @param fit the loop's result
     * @param ema the EMA of the weights
     */
    public record Trained(FitResult fit, Ema ema) {}

    /**
     * Saves the network's current weights (swap the EMA in first) and the model description.
     *
     * @param run the run directory
     * @return the model folder
     * @throws IOException when writing fails
     */
    public Path saveModel(RunDirectory run) throws IOException {
        Path dir = run.root().resolve(MODEL_DIR);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model.json"), RunDirectory.toJson(spec));
        try (DataOutputStream out = new DataOutputStream(
                Files.newOutputStream(dir.resolve("unet.params")))) {
            unet.saveParameters(out);
        }
        return dir;
    }

    /**
     * @param clip whether to clip x̂_0 to [−1, 1]
     * @return the network (current weights, inference mode) as a diffusion model
     */
    public DiffusionModel model(boolean clip) {
        DiffusionModel m = new DiffusionModel(
                unet.denoiser(new ParameterStore(manager, false), false), schedule,
                spec.prediction());
        return clip ? m.withClipX0(1) : m;
    }

    /**
     * Samples {@code n} images.
     *
     * @param scope the manager of the result
     * @param sampler the sampler
     * @param grid the time grid
     * @param n how many images
     * @param keepTrajectory whether to keep the states
     * @return the result
     */
    public SamplerResult sample(NDManager scope, Sampler sampler, TimeGrid grid, int n,
            boolean keepTrajectory) {
        NDArray xT = scope.randomNormal(new Shape(n, spec.channels(), spec.height(), spec.width()));
        return sampler.sample(model(true), xT, grid, Condition.none(), keepTrajectory);
    }
}
