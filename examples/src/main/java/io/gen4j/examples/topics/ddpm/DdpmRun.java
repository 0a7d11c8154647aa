package io.gen4j.examples.topics.ddpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.ImagePreprocessing;
import io.gen4j.core.data.transform.ImageTransform;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.ShuffledBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.diffusion.DdpmFamily;
import io.gen4j.diffusion.DdpmModel;
import io.gen4j.diffusion.DdpmObjective;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.examples.topics.TopicData;
import io.gen4j.examples.topics.TopicRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The DDPM recipe shared by topic 11-05 and the quickstart: find the data, build the model from a
 * {@link DdpmSpec}, train it with {@link ObjectiveStep} (AdamW, cosine learning rate, clipping,
 * EMA) inside a {@link TopicRun} (checkpoints, resume), save the EMA weights with {@link
 * ModelStore}, and sample from them.
 */
public final class DdpmRun {

    /** Name of the folder, inside a run directory, that holds the saved model. */
    public static final String MODEL_DIR = "model";

    /** Name of the training inside the run (its checkpoints and metrics). */
    static final String TRAINING = "unet";

    private final DdpmModel model;

    private DdpmRun(DdpmModel model) {
        this.model = model;
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
        return loadData(wanted, dataPath, padTo, Optional.empty());
    }

    /**
     * Loads the data like {@link #loadData(DatasetId, Optional, int)}; {@code dataPath} may also be a
     * folder of the user's own images (flat or one sub-folder per class), and the model then takes
     * its shape from them: their own size and channels, or those the preprocessing makes.
     *
     * @param wanted the dataset asked for
     * @param dataPath an explicit location, tried first
     * @param padTo pad images to this square size, or 0 for the native size
     * @param preprocessing resize, crop, channels and augmentation of the images, or empty for
     *     the images as they are
     * @return the data and a note
     * @throws IOException when the data are not found or a file does not decode
     */
    public static TopicData loadData(DatasetId wanted, Optional<Path> dataPath, int padTo,
            Optional<ImagePreprocessing> preprocessing) throws IOException {
        DatasetId fallback = wanted == DatasetId.FASHION_MNIST ? DatasetId.MNIST : DatasetId.FASHION_MNIST;
        TopicData data = TopicData.load(wanted, fallback, dataPath, preprocessing, null).padTo(padTo);
        int side = data.train().height();
        if (side % 4 != 0 || data.train().width() % 4 != 0) {
            throw new IllegalArgumentException("the U-Net needs image sides divisible by 4 (two down-samplings), but "
                    + data.datasetName() + " images are " + data.train().width() + "x" + side
                    + "; give --image-size (e.g. 28, 32 or 64)");
        }
        return data;
    }

    /**
     * The model's description: the run configuration's U-Net, schedule and parameterisation for the
     * data's image size, in [−1, 1], x̂_0 clipped to [−1, 1], DDIM η = 0 with the configuration's
     * main number of steps by default.
     *
     * @param config the run configuration
     * @param data the data (fixes channels and size)
     * @return the spec
     */
    public static DdpmSpec spec(DdpmRunConfig config, TopicData data) {
        NoiseSchedule schedule = config.schedule().create(config.diffusionSteps());
        return new DdpmSpec(config.unet(), DdpmSpec.Schedule.of(schedule), config.prediction(), 1.0,
                DataSpec.image(data.train().channels(), data.train().height(), data.train().width(),
                        PixelRange.MINUS_ONE_ONE),
                new DdpmSpec.Sampling(config.mainSamplerSteps(), 0.0, Spacing.LINSPACE),
                config.vlbStride());
    }

    /**
     * Builds a fresh model for a dataset.
     *
     * @param manager the manager that owns the parameters (closed by the caller)
     * @param config the run configuration
     * @param data the data
     * @return the run
     */
    public static DdpmRun create(NDManager manager, DdpmRunConfig config, TopicData data) {
        return new DdpmRun(new DdpmFamily().create(spec(config, data), manager));
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
        Path dir = Files.isDirectory(runDirectory.resolve(MODEL_DIR)) ? runDirectory.resolve(MODEL_DIR) : runDirectory;
        return new DdpmRun(ModelStore.load(dir, manager, DdpmModel.class));
    }

    /** @return the model */
    public DdpmModel model() {
        return model;
    }

    /** @return the network */
    public UNet unet() {
        return model.unet();
    }

    /** @return the noise schedule */
    public NoiseSchedule schedule() {
        return model.spec().noiseSchedule();
    }

    /**
     * Trains with L_simple inside the run (checkpoints in {@code checkpoints/unet/}, metrics in
     * {@code metrics.csv}); a resumed run continues from its newest checkpoint.
     *
     * @param config the configuration
     * @param data the data
     * @param run the run
     * @param seed the seed of the batch order and of every step
     * @param extra listeners
     * @return the fit result and the EMA, whose weights the caller swaps in to sample
     * @throws IOException when the metrics log or a checkpoint cannot be written
     */
    public Trained train(DdpmRunConfig config, TopicData data, TopicRun run, long seed, List<FitListener> extra)
            throws IOException {
        return train(config, data, run, seed, extra, ImageTransform.identity());
    }

    /**
     * Trains like {@link #train(DdpmRunConfig, TopicData, TopicRun, long, List)}, with a random
     * augmentation of every training batch (e.g. a horizontal flip).
     *
     * @param config the configuration
     * @param data the data
     * @param run the run
     * @param seed the seed of the batch order, the augmentation and every step
     * @param extra listeners
     * @param augment the per-batch augmentation ({@link ImageTransform#identity()} for none)
     * @return the fit result and the EMA
     * @throws IOException when the metrics log or a checkpoint cannot be written
     */
    public Trained train(DdpmRunConfig config, TopicData data, TopicRun run, long seed, List<FitListener> extra,
            ImageTransform augment) throws IOException {
        int batch = Math.min(config.batch(), data.train().size());
        ShuffledBatches batches = data.train().batches(batch, seed, true, PixelRange.MINUS_ONE_ONE)
                .withAugmentation(augment);
        ObjectiveStep step = ObjectiveStep.builder()
                .setObjective(DdpmObjective.simple(model.unet(), schedule(), model.spec().prediction()))
                .setOptimizer(AdamW.factory(
                        LearningRateSchedule.cosine(config.learningRate(), config.learningRate() / 10,
                                config.warmupSteps(), config.trainSteps()),
                        AdamConfig.defaults()))
                .optName(TRAINING)
                .optClipNorm(1.0)
                .optEma(new EmaConfig(config.emaDecay(), true))
                .build();
        FitResult result = run.fit(TRAINING, step, batches, model.unet().getParameters().valueAt(0).getArray()
                .getManager(), config.trainSteps(), seed, run.directory().metricsCsv(), extra);
        return new Trained(result, step.ema());
    }

    /**
     * The outcome of {@link #train}.
     *
     * @param fit the loop's result
     * @param ema the EMA of the weights
     */
    public record Trained(FitResult fit, Ema ema) {}

    /**
     * Saves the network's current weights (swap the EMA in first) and the model's spec.
     *
     * @param runDirectory the run directory
     * @return the model folder
     * @throws IOException when writing fails
     */
    public Path saveModel(Path runDirectory) throws IOException {
        return ModelStore.save(model, runDirectory.resolve(MODEL_DIR));
    }

    /**
     * @param clip whether to clip x̂_0 to [−1, 1]
     * @param manager the manager of the calls
     * @return the network (current weights, inference mode) as a diffusion model
     */
    public DiffusionModel diffusionModel(boolean clip, NDManager manager) {
        DiffusionModel m = new DiffusionModel(unet().denoiser(new ParameterStore(manager, false), false), schedule(),
                model.spec().prediction());
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
    public SamplerResult sample(NDManager scope, Sampler sampler, TimeGrid grid, int n, boolean keepTrajectory) {
        long[] s = model.spec().data().shape();
        NDArray xT = scope.randomNormal(new Shape(n, s[0], s[1], s[2]));
        return sampler.sample(diffusionModel(true, scope), xT, grid, Condition.none(), keepTrajectory);
    }
}
