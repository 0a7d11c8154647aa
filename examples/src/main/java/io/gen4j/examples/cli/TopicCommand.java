package io.gen4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.TopicData;
import io.gen4j.examples.topics.Topic;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicResult;
import io.gen4j.examples.topics.TopicRun;
import io.gen4j.examples.topics.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs one course topic, or lists them. {@code --profile gpu} on a machine whose engine sees no GPU
 * asks on a terminal whether to run on the CPU anyway, and without a terminal refuses (exit code 2)
 * unless {@code --device cpu} is given.
 */
@Command(name = "topic", mixinStandardHelpOptions = true,
        description = "Run a course topic (e.g. 11-05) and write its figures and report; --list shows them all.")
public final class TopicCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run = new RunOptions();

    @Parameters(index = "0", arity = "0..1", description = "Topic id, e.g. 11-05 or 05 (not needed with --resume).")
    String id;

    @Option(names = "--list", description = "List the topics.")
    boolean list;

    @Option(names = "--profile", defaultValue = "cpu", description = "smoke, cpu (default) or gpu.")
    String profile;

    @Option(names = "--out", defaultValue = "runs", description = "Folder for run directories (default: runs).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the run (default: 0).")
    long seed;

    @Option(names = "--data", description = "Dataset location tried before every other place: a folder of IDX or "
            + "CIFAR-10 files, or your own PNG/JPEG images (flat, or one sub-folder per class).")
    Path data;

    @Mixin
    ImageDataOptions images = new ImageDataOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        long runSeed = seed;
        String runProfile = profile;
        JsonNode saved = null;
        if (run.resume() != null && !list) {
            saved = TopicRun.savedConfig(run.resume());
            String name = saved.path("topic").asText();
            String savedId = topicIdOfRun(name);
            if (id != null && Topics.find(id).map(t -> !t.id().equals(savedId)).orElse(true)) {
                spec.commandLine().getErr().printf("%s is a run of %s, not of topic %s%n", run.resume(), name, id);
                return 2;
            }
            if (Topics.find(savedId).isEmpty()) {
                spec.commandLine().getErr().printf("%s is a run of %s, not of a topic; resume it with '%s'%n",
                        run.resume(), name, io.gen4j.examples.topics.TopicRun.resumeCommand(run.resume(), name));
                return 2;
            }
            id = savedId;
            runSeed = saved.path("seed").asLong();
            runProfile = saved.path("profile").asText();
            pw.printf("resuming %s (topic %s, profile %s, seed %d)%n", run.resume(), id,
                    runProfile.toLowerCase(java.util.Locale.ROOT), runSeed);
        }
        if (list || id == null) {
            for (Topic t : Topics.all()) {
                pw.printf("%s  %s%n", t.id(), t.title());
            }
            pw.flush();
            return list ? 0 : 2;
        }
        Optional<Topic> topic = Topics.find(id);
        if (topic.isEmpty()) {
            spec.commandLine().getErr().printf("unknown topic '%s'; %s shows the topics%n", id,
                    Launcher.command("topic", "--list"));
            return 2;
        }
        Profile chosen;
        try {
            chosen = Profile.parse(runProfile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
        long every = run.checkpointEvery();
        imagePreprocessing(); // checks --image-size and --channels before the engine starts
        checkData(topic.get().id());
        EngineInfo engine = global.apply();
        java.util.List<ai.djl.Device> devices = run.devices(engine.gpuCount(), saved); // before any training
        if (chosen == Profile.GPU && engine.gpuCount() == 0 && !global.cpuRequested()
                && !Gen4jCli.terminal().confirm("--profile gpu sizes the run for a GPU (hours of work there), but the "
                        + "engine sees no GPU. Run it on the CPU anyway?")) {
            spec.commandLine().getErr().printf("--profile gpu sizes the run for a GPU (hours of work there), but the "
                    + "engine sees no GPU; add --device cpu to run it on the CPU anyway, or use --profile cpu%n");
            return 2;
        }
        TopicOptions options = TopicOptions.of(chosen, out, runSeed, Optional.ofNullable(data))
                .withCheckpointEvery(every).withCheckpointTime(run.checkpointTime())
                .withPreprocessing(imagePreprocessing()).withDevices(devices);
        if (run.resume() != null) {
            options = options.withResume(run.resume());
        }
        TopicResult result = topic.get().run(options);
        pw.printf("run directory: %s%n", result.runDirectory());
        for (Map.Entry<String, Double> e : result.metrics().entrySet()) {
            pw.printf("  %-28s %.6g%n", e.getKey(), e.getValue());
        }
        pw.flush();
        return 0;
    }

    /** What a topic does with {@code --data}: the CLI checks the argument against it before the engine starts. */
    enum DataUse {
        /** Text (11-05-sedd): {@code --data} is a UTF-8 text file. */
        TEXT,
        /** Images whose shape the model takes (11-05): any image data, with the preprocessing options. */
        IMAGES_ANY_SHAPE,
        /** Images brought to the topic's 1x28x28 gray models by the topic itself (centre square, gray). */
        IMAGES_28_GRAY,
        /** The same, class-conditional (11-04, 11-07): an image folder needs two or more class sub-folders. */
        LABELLED_IMAGES_28_GRAY,
        /** FashionMNIST only (11-06: its captions are FashionMNIST's class names): IDX files, no image folder. */
        FASHION_MNIST_ONLY
    }

    /**
     * @param topicId a topic's id
     * @return what it does with {@code --data}
     */
    /**
     * The topic id of a run from the name its config.json carries: the name itself when a topic has
     * exactly that id ({@code 11-05-sedd}), else the course number of a topic's run name ({@code
     * 11-05-ddpm} → {@code 11-05}), else the name (a quickstart's or the comparison's run).
     *
     * @param runName the run's {@code topic} field
     * @return the topic id to resume with
     */
    static String topicIdOfRun(String runName) {
        if (Topics.all().stream().anyMatch(t -> t.id().equals(runName))) {
            return runName;
        }
        return runName.matches("\\d\\d-\\d\\d.*") ? runName.substring(0, 5) : runName;
    }

    static DataUse dataUse(String topicId) {
        return switch (topicId) {
            case "11-05-sedd" -> DataUse.TEXT;
            case "11-05" -> DataUse.IMAGES_ANY_SHAPE;
            case "11-04", "11-07" -> DataUse.LABELLED_IMAGES_28_GRAY;
            case "11-06" -> DataUse.FASHION_MNIST_ONLY;
            default -> DataUse.IMAGES_28_GRAY;
        };
    }

    /** Refuses, in one line naming the option, a {@code --data} or preprocessing option the topic cannot use. */
    private void checkData(String topicId) throws java.io.IOException {
        DataUse use = dataUse(topicId);
        boolean shaping = images.imageSize != null || images.channels != null || images.hflip
                || images.crop != ImageShapeOptions.Crop.CENTER;
        if (shaping && use != DataUse.IMAGES_ANY_SHAPE) {
            throw new ParameterException(spec.commandLine(), "--image-size, --crop, --channels and --hflip apply to "
                    + "topic 11-05 and quickstart, whose models take their shape from the data; topic " + topicId
                    + (use == DataUse.TEXT ? " trains on text"
                            : " has fixed 1x28x28 gray models and brings --data to that shape itself (the shorter side "
                                    + "resized to 28, the centre square, gray)"));
        }
        if (data == null) {
            return;
        }
        if (use == DataUse.TEXT) {
            if (!java.nio.file.Files.isRegularFile(data)) {
                throw new ParameterException(spec.commandLine(), "--data " + data + ": topic " + topicId + " trains on "
                        + "text; give a UTF-8 text file" + (java.nio.file.Files.isDirectory(data) ? ", not a folder" : ""));
            }
            return;
        }
        TopicData.checkDataPath(data, "--data");
        io.gen4j.core.data.ImageSource source;
        try {
            source = io.gen4j.core.data.ImageSource.parse(data.toString(), io.gen4j.core.data.Split.TRAIN);
        } catch (java.io.IOException e) {
            return; // not image data: the topic's own reading says what it expected, as before
        }
        if (source.kind() != io.gen4j.core.data.ImageSource.Kind.IMAGE_FOLDER) {
            return;
        }
        if (use == DataUse.FASHION_MNIST_ONLY) {
            throw new ParameterException(spec.commandLine(), "--data " + data + ": topic " + topicId + " captions its "
                    + "images with FashionMNIST's class names, so it reads only FashionMNIST's IDX files, not an image "
                    + "folder; topics 11-01 to 11-05 and 11-07 to 11-10 take one");
        }
        if (use == DataUse.LABELLED_IMAGES_28_GRAY) {
            java.util.List<String> classes = io.gen4j.core.data.ImageFolderReader.classNames(data);
            if (classes.size() < 2) {
                throw new ParameterException(spec.commandLine(), "--data " + data + ": topic " + topicId + " is "
                        + "class-conditional and takes its classes from the sub-folders; this folder has "
                        + classes.size() + " class (" + String.join(", ", classes) + "): give one sub-folder of "
                        + "images per class, at least two");
            }
        }
    }

    private Optional<io.gen4j.core.data.ImagePreprocessing> imagePreprocessing() {
        try {
            return images.preprocessing(io.gen4j.core.data.PixelRange.MINUS_ONE_ONE);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
