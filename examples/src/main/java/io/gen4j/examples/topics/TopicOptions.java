package io.gen4j.examples.topics;

import ai.djl.Device;
import io.gen4j.core.data.ImagePreprocessing;
import io.gen4j.core.train.FitListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a topic (or the quickstart).
 *
 * @param profile size of the run
 * @param outputRoot folder under which a new run directory is made
 * @param seed the run's seed
 * @param dataPath an explicit dataset location, tried before every other place
 * @param resume a run directory to continue instead of starting a new one: every training in it
 *     continues from its newest checkpoint (finished ones are restored, not retrained) and the run
 *     ends as an uninterrupted run would
 * @param checkpointEvery checkpoint every training every this many steps; 0 for a tenth of each
 *     training (at least one step)
 * @param checkpointTime also checkpoint a training when this much wall time passed since its last
 *     checkpoint ({@link #DEFAULT_CHECKPOINT_TIME} by default); zero for none
 * @param listeners extra listeners of every training (tests use them to stop a run part-way)
 * @param preprocessing how the images are resized, cropped, converted and augmented (the CLI's
 *     {@code --image-size}, {@code --crop}, {@code --channels}, {@code --hflip}); empty: as they are
 * @param devices train every single-objective training of the run data-parallel over these devices
 *     (the CLI's {@code --devices}, gen-core {@code DataParallel}); empty: one pass on the model's
 *     device. Recorded in config.json; a training of another kind (a GAN) refuses a non-empty list
 */
public record TopicOptions(Profile profile, Path outputRoot, long seed, Optional<Path> dataPath,
        Optional<Path> resume, long checkpointEvery, Duration checkpointTime, List<FitListener> listeners,
        Optional<ImagePreprocessing> preprocessing, List<Device> devices) {

    /** The default wall time between two checkpoints of a training: what a kill loses at most. */
    public static final Duration DEFAULT_CHECKPOINT_TIME = Duration.ofMinutes(5);


    /** Validates. */
    public TopicOptions {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(outputRoot, "outputRoot");
        Objects.requireNonNull(dataPath, "dataPath");
        Objects.requireNonNull(resume, "resume");
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0 (0 = a tenth of each training), got "
                    + checkpointEvery);
        }
        Objects.requireNonNull(checkpointTime, "checkpointTime");
        if (checkpointTime.isNegative()) {
            throw new IllegalArgumentException("checkpointTime must be >= 0 (0 = none), got " + checkpointTime);
        }
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(preprocessing, "preprocessing");
        devices = List.copyOf(devices);
    }

    /**
     * Options without data-parallel training.
     *
     * @param profile size of the run
     * @param outputRoot folder under which a new run directory is made
     * @param seed the run's seed
     * @param dataPath an explicit dataset location
     * @param resume a run directory to continue
     * @param checkpointEvery checkpoint interval in steps, 0 for a tenth of each training
     * @param checkpointTime wall time between checkpoints, zero for none
     * @param listeners extra listeners of every training
     * @param preprocessing the images' preprocessing
     */
    public TopicOptions(Profile profile, Path outputRoot, long seed, Optional<Path> dataPath, Optional<Path> resume,
            long checkpointEvery, Duration checkpointTime, List<FitListener> listeners,
            Optional<ImagePreprocessing> preprocessing) {
        this(profile, outputRoot, seed, dataPath, resume, checkpointEvery, checkpointTime, listeners, preprocessing,
                List.of());
    }

    /**
     * @param profile the profile
     * @param outputRoot where run directories go
     * @param seed the seed
     * @param dataPath an explicit dataset location
     * @return options for a new run with automatic checkpoints
     */
    public static TopicOptions of(Profile profile, Path outputRoot, long seed, Optional<Path> dataPath) {
        return new TopicOptions(profile, outputRoot, seed, dataPath, Optional.empty(), 0, DEFAULT_CHECKPOINT_TIME, List.of(),
                Optional.empty());
    }

    /**
     * @param profile the profile
     * @param outputRoot where run directories go
     * @return options with seed 0 and no explicit data path
     */
    public static TopicOptions of(Profile profile, Path outputRoot) {
        return of(profile, outputRoot, 0L, Optional.empty());
    }

    /**
     * @param runDirectory the run directory to continue
     * @return these options resuming that run
     */
    public TopicOptions withResume(Path runDirectory) {
        return new TopicOptions(profile, outputRoot, seed, dataPath, Optional.of(runDirectory), checkpointEvery,
                checkpointTime, listeners, preprocessing, devices);
    }

    /**
     * @param every checkpoint interval in steps, or 0 for the automatic one
     * @return these options with that interval
     */
    public TopicOptions withCheckpointEvery(long every) {
        return new TopicOptions(profile, outputRoot, seed, dataPath, resume, every, checkpointTime, listeners,
                preprocessing, devices);
    }

    /**
     * @param every the longest wall time between two checkpoints of a training, or zero for none
     * @return these options with that time interval
     */
    public TopicOptions withCheckpointTime(Duration every) {
        return new TopicOptions(profile, outputRoot, seed, dataPath, resume, checkpointEvery, every, listeners,
                preprocessing, devices);
    }

    /**
     * @param extra listeners added to every training
     * @return these options with those listeners
     */
    public TopicOptions withListeners(List<FitListener> extra) {
        return new TopicOptions(profile, outputRoot, seed, dataPath, resume, checkpointEvery, checkpointTime, extra,
                preprocessing, devices);
    }

    /**
     * @param images the preprocessing of the images, or empty to use them as they are
     * @return these options with that preprocessing
     */
    public TopicOptions withPreprocessing(Optional<ImagePreprocessing> images) {
        return new TopicOptions(profile, outputRoot, seed, dataPath, resume, checkpointEvery, checkpointTime, listeners,
                images, devices);
    }

    /**
     * @param parallel the devices every single-objective training splits its batches over; empty for none
     * @return these options with them
     */
    public TopicOptions withDevices(List<Device> parallel) {
        return new TopicOptions(profile, outputRoot, seed, dataPath, resume, checkpointEvery, checkpointTime, listeners,
                preprocessing, parallel);
    }

    /**
     * @param totalSteps the length of a training
     * @return its checkpoint interval: {@link #checkpointEvery()}, or a tenth of the training
     */
    public long checkpointInterval(long totalSteps) {
        return checkpointEvery > 0 ? checkpointEvery : Math.max(1, (totalSteps + 9) / 10);
    }
}
