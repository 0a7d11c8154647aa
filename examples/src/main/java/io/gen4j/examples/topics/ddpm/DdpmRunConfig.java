package io.gen4j.examples.topics.ddpm;

import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.ImagePreprocessing;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.DdpmPreset;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.TopicData;
import java.util.Optional;

/**
 * Everything a DDPM run of topic 11-05 or the quickstart needs, written to {@code config.json}.
 *
 * @param dataset the dataset wanted (CIFAR-10 for the topic; the run falls back to FashionMNIST
 *     padded to 32×32 when it is not available)
 * @param unet the network
 * @param schedule the noise schedule family
 * @param diffusionSteps T
 * @param prediction what the network predicts
 * @param batch training batch size
 * @param trainSteps optimisation steps
 * @param learningRate peak AdamW learning rate (cosine decay after a linear warm-up)
 * @param warmupSteps warm-up steps
 * @param emaDecay EMA decay of the weights used for sampling
 * @param sampleGrid images in the main sample grid
 * @param comparisonGrid images per DDPM/DDIM comparison grid
 * @param comparisonSteps the sampler step counts compared
 * @param mainSamplerSteps DDIM steps of the main sample grid
 * @param vlbImages test images for the variational bound
 * @param vlbStride steps per stratified block of the bound (1 = exact)
 * @param data the data actually read: a dataset name, or the image folder with its classes and
 *     image shape ({@code ""} until {@link #withData} is called)
 * @param preprocessing the preprocessing of the images ({@link ImagePreprocessing#describe()}), or
 *     {@code "none"}
 */
public record DdpmRunConfig(
        DatasetId dataset,
        UNetConfig unet,
        NoiseSchedule.Type schedule,
        int diffusionSteps,
        Prediction prediction,
        int batch,
        int trainSteps,
        double learningRate,
        int warmupSteps,
        double emaDecay,
        int sampleGrid,
        int comparisonGrid,
        int[] comparisonSteps,
        int mainSamplerSteps,
        int vlbImages,
        int vlbStride,
        String data,
        String preprocessing) {

    /** Validates the sizes. */
    public DdpmRunConfig {
        if (batch < 1 || trainSteps < 1 || sampleGrid < 1 || comparisonGrid < 1 || vlbImages < 1) {
            throw new IllegalArgumentException("batch, trainSteps and image counts must be >= 1");
        }
        if (!(learningRate > 0) || warmupSteps < 0 || !(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("learningRate must be > 0, warmupSteps >= 0, emaDecay in [0,1), got "
                    + learningRate + ", " + warmupSteps + ", " + emaDecay);
        }
        comparisonSteps = comparisonSteps.clone();
        for (int s : comparisonSteps) {
            if (s < 2 || s > diffusionSteps) {
                throw new IllegalArgumentException(
                        "comparison steps must be in [2, " + diffusionSteps + "], got " + s);
            }
        }
        if (mainSamplerSteps < 2 || mainSamplerSteps > diffusionSteps) {
            throw new IllegalArgumentException("mainSamplerSteps must be in [2, " + diffusionSteps
                    + "], got " + mainSamplerSteps);
        }
        if (vlbStride < 1 || vlbStride >= diffusionSteps) {
            throw new IllegalArgumentException(
                    "vlbStride must be in [1, " + (diffusionSteps - 1) + "], got " + vlbStride);
        }
    }

    /** @return a copy of the compared step counts */
    @Override
    public int[] comparisonSteps() {
        return comparisonSteps.clone();
    }

    /**
     * The topic's configuration per profile.
     *
     * <ul>
     *   <li>smoke: seconds; a two-level 8-channel U-Net, T = 100, 6 steps;
     *   <li>cpu ({@link DdpmPreset#cifar10()}; 14 min on 2 idle cores, measured): 32/64/64 channels, attention at 8×8, T = 1000
     *       cosine, batch 32, 2000 steps (about 11 minutes of training at 3.1 steps/s), comparison
     *       grids of 16 images (about 2.5 minutes for the 2 × 1180 network evaluations);
     *   <li>gpu ({@link DdpmPreset#cifar10Long()}): DDPM's CIFAR-10 model (128 channels, multipliers 1/2/2/2, 2 blocks, attention at
     *       16×16, dropout 0.1), batch 128, 100k steps.
     * </ul>
     *
     * @param profile the profile
     * @param channels image channels of the dataset used
     * @return the configuration
     */
    public static DdpmRunConfig forTopic(Profile profile, int channels) {
        switch (profile) {
            case SMOKE:
                return new DdpmRunConfig(DatasetId.CIFAR10,
                        UNetConfig.builder().setImageChannels(channels).optBaseChannels(8)
                                .optChannelMultipliers(1, 2).optGroups(4).build(),
                        NoiseSchedule.Type.COSINE, 100, Prediction.EPSILON, 8, 6, 1e-3, 2, 0.9, 8,
                        4, new int[] {5, 10, 100}, 10, 4, 10, "", "none");
            case GPU:
                return of(DatasetId.CIFAR10, DdpmPreset.cifar10Long(), channels, 64, 64,
                        new int[] {10, 20, 50, 100, 1000}, 256);
            default:
                return of(DatasetId.CIFAR10, DdpmPreset.cifar10(), channels, 36, 16,
                        new int[] {10, 20, 50, 100, 1000}, 32);
        }
    }

    /**
     * A run of a preset: its network (with the data's channels), schedule, training and sampler.
     *
     * @param dataset the dataset wanted
     * @param preset the preset
     * @param channels image channels of the dataset used
     * @param sampleGrid images in the main sample grid
     * @param comparisonGrid images per comparison grid
     * @param comparisonSteps the sampler step counts compared
     * @param vlbImages test images for the variational bound
     * @return the configuration
     */
    static DdpmRunConfig of(DatasetId dataset, DdpmPreset preset, int channels, int sampleGrid, int comparisonGrid,
            int[] comparisonSteps, int vlbImages) {
        TrainingRecipe t = preset.training();
        return new DdpmRunConfig(dataset,
                preset.unet().toBuilder().setImageChannels(channels).optOutChannels(channels).build(),
                preset.schedule(), preset.diffusionSteps(), preset.prediction(), t.batchSize(),
                Math.toIntExact(t.steps()), t.learningRate(), Math.toIntExact(t.warmupSteps()), preset.emaDecay(),
                sampleGrid, comparisonGrid, comparisonSteps, preset.samplerSteps(), vlbImages,
                preset.likelihoodStride(), "", "none");
    }

    /**
     * The quickstart: {@link DdpmPreset#quickstart28()} on FashionMNIST (MNIST when only that is found)
     * at 28×28, a 16/32/32-channel U-Net, T = 1000 cosine, batch 32, {@code steps} steps ({@link DdpmQuickstart#DEFAULT_STEPS}
     * by default: under 10 minutes on two cores).
     *
     * @param steps training steps
     * @return the configuration
     */
    public static DdpmRunConfig quickstart(int steps) {
        return of(DatasetId.FASHION_MNIST, DdpmPreset.quickstart28(), 1, 64, 16, new int[] {50}, 16)
                .withTrainSteps(steps);
    }

    /**
     * @param steps new number of training steps
     * @return this configuration with another training length (warm-up capped at a quarter)
     */
    public DdpmRunConfig withTrainSteps(int steps) {
        return new DdpmRunConfig(dataset, unet, schedule, diffusionSteps, prediction, batch, steps,
                learningRate, Math.min(warmupSteps, steps / 4), emaDecay, sampleGrid,
                comparisonGrid, comparisonSteps, mainSamplerSteps, vlbImages, vlbStride, data, preprocessing);
    }

    /**
     * @param id the dataset actually used
     * @param channels its channels
     * @return this configuration for that dataset
     */
    public DdpmRunConfig withDataset(DatasetId id, int channels) {
        UNetConfig u = unet.toBuilder().setImageChannels(channels).optOutChannels(channels).build();
        return new DdpmRunConfig(id, u, schedule, diffusionSteps, prediction, batch, trainSteps,
                learningRate, warmupSteps, emaDecay, sampleGrid, comparisonGrid, comparisonSteps,
                mainSamplerSteps, vlbImages, vlbStride, data, preprocessing);
    }

    /**
     * This configuration for the data actually read: the dataset (or {@code null} for an image
     * folder), the U-Net's input and output channels from the data, and what was read and how.
     *
     * @param topicData the data
     * @param images the preprocessing applied, or empty
     * @return the configuration
     */
    public DdpmRunConfig withData(TopicData topicData, Optional<ImagePreprocessing> images) {
        DdpmRunConfig c = withDataset(topicData.id(), topicData.train().channels());
        String what = topicData.datasetName() + " (" + topicData.train().size() + " training images "
                + topicData.train().channels() + "x" + topicData.train().height() + "x" + topicData.train().width()
                + ", " + topicData.train().numClasses() + " classes: "
                + String.join(", ", topicData.train().classNames()) + ")";
        return new DdpmRunConfig(c.dataset, c.unet, schedule, diffusionSteps, prediction, batch, trainSteps,
                learningRate, warmupSteps, emaDecay, sampleGrid, comparisonGrid, comparisonSteps,
                mainSamplerSteps, vlbImages, vlbStride, what, images.map(ImagePreprocessing::describe).orElse("none"));
    }
}
