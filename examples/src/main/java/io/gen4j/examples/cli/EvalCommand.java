package io.gen4j.examples.cli;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.Cifar10Reader;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.Permutations;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.eval.CnnClassifierConfig;
import io.gen4j.eval.CnnClassifierTraining;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.Evaluation;
import io.gen4j.eval.EvaluationConfig;
import io.gen4j.eval.EvaluationInputs;
import io.gen4j.eval.EvaluationReport;
import io.gen4j.eval.FeatureExtraction;
import io.gen4j.eval.FeatureExtractor;
import io.gen4j.eval.Features;
import io.gen4j.eval.ImageSet;
import io.gen4j.eval.ImageSets;
import io.gen4j.eval.Metric;
import io.gen4j.eval.MetricRegistry;
import io.gen4j.eval.MetricResult;
import io.gen4j.eval.TorchScriptInception;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code gen4j eval}: sample-quality metrics of generated images against a real reference.
 *
 * <pre>
 *   gen4j eval --real fashion-mnist --fake samples/ --metrics fid,kid,is,pr,dc --classifier fmnist-cnn.bin
 *   gen4j eval --real cifar10-test.npz --fake samples.npz --fake-range symmetric \
 *              --inception inception-2015-12-05.pt --out runs/eval-1
 *   gen4j eval train-classifier --data fashion-mnist --out fmnist-cnn.bin --epochs 5
 * </pre>
 * Metric names carry the extractor ({@code FID-inception-v3}, {@code FID-fmnist-cnn}); every value is
 * printed with N_real, N_gen and its real-vs-real floor, and {@code --out} writes metrics.json and
 * report.md with the extractor hash, preprocessing, reference split and seed. {@code --metrics}
 * takes the names of {@link MetricRegistry#installed()}: the five built-in metrics and any
 * {@link io.gen4j.eval.MetricProvider} on the class path.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "FID, KID, IS, precision/recall, density/coverage of generated images against real data.",
        subcommands = {EvalCommand.TrainClassifier.class})
public final class EvalCommand implements Callable<Integer> {

    /** Which network turns images into features. */
    enum ExtractorKind {
        /** The TorchScript Inception-v3 (inception-2015-12-05.pt). */
        INCEPTION,
        /** The in-project CNN classifier (a file written by {@code eval train-classifier}). */
        CLASSIFIER
    }

    @Option(names = "--real",
            description = "Required. Real reference: fashion-mnist, mnist or cifar10 [:train|:test] (default test split; found by the dataset resolver: $GEN4J_<NAME>, ~/.gen4j/datasets, /usr/share/datasets), a cifar-10-batches-bin directory (test split), a PNG folder, a .npy, a .npz or an IDX file.")
    String real;

    @Option(names = "--floor-real",
            description = "Other real data for the real-vs-real floor at exactly N_real and N_gen (e.g. fashion-mnist:train); default: split --real.")
    String floorReal;

    @Option(names = "--fake", description = "Required. Generated samples: a folder of PNGs, a .npy or a .npz.")
    Path fake;

    @Option(names = "--metrics", split = ",", defaultValue = "fid,kid,is,pr,dc",
            description = "Comma-separated metric names: fid, kid, is, pr, dc, or the name of a MetricProvider on the class path (default: ${DEFAULT-VALUE}).")
    List<String> metrics;

    @Option(names = "--extractor", converter = ExtractorConverter.class,
            description = "inception or classifier (default: inception when --inception is given, else classifier).")
    ExtractorKind extractor;

    @Option(names = "--inception", description = "Path of inception-2015-12-05.pt (default: $GEN4J_INCEPTION).")
    Path inception;

    @Option(names = "--classifier", description = "Classifier file written by 'eval train-classifier'.")
    Path classifier;

    @Option(names = "--fake-range", converter = RangeConverter.class, defaultValue = "unit",
            description = "Value range of float arrays in a .npy or .npz: unit [0,1], symmetric [-1,1], byte [0,255] (also zero_one, minus_one_one) (default: ${DEFAULT-VALUE}).")
    PixelRange fakeRange;

    @Option(names = "--fake-labels", description = "Intended class per generated image (one integer per line, file order): prints the classifier accuracy of conditional samples.")
    Path fakeLabels;

    @Option(names = "--max-real", defaultValue = "0", description = "Use at most this many real images (0 = all).")
    int maxReal;

    @Option(names = "--max-fake", defaultValue = "0", description = "Use at most this many generated images (0 = all).")
    int maxFake;

    @Option(names = "--batch-size", defaultValue = "50", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of KID subsets, IS shuffle and the floor split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-floor", description = "Skip the real-vs-real floor.")
    boolean noFloor;

    @Option(names = "--out", description = "Directory for metrics.json and report.md.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    GlobalOptions global = new GlobalOptions();

    @Override
    public Integer call() throws Exception {
        global.apply();
        if (real == null || fake == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "eval needs --real <dataset> and --fake <folder of PNGs | .npy | .npz> (or a subcommand)");
        }
        ExtractorKind kind = extractor;
        Path inceptionFile = inception;
        if (inceptionFile == null && System.getenv("GEN4J_INCEPTION") != null) {
            inceptionFile = Path.of(System.getenv("GEN4J_INCEPTION"));
        }
        if (kind == null) {
            kind = inceptionFile != null ? ExtractorKind.INCEPTION : ExtractorKind.CLASSIFIER;
        }
        List<Metric> chosen;
        try {
            chosen = MetricRegistry.installed().create(metrics, seed);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--metrics: " + e.getMessage());
        }
        boolean probabilities = chosen.stream().anyMatch(Metric::needsProbabilities);
        PrintWriter stdout = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager()) {
            Reference reference = Reference.resolve(real);
            ImageSet realImages = head(reference.load(manager), maxReal);
            ImageSet fakeImages = head(ImageSets.read(fake, fakeRange, manager), maxFake);
            stdout.printf(Locale.ROOT, "real: %s (%s)%nfake: %s (%s)%n", reference.name(), realImages, fake, fakeImages);
            try (FeatureExtractor ex = openExtractor(kind, inceptionFile, manager)) {
                stdout.printf(Locale.ROOT, "extractor: %s (sha256 %s)%n", ex.info().name(), ex.info().fileHash());
                Features realFeatures = FeatureExtraction.features(ex, realImages, batchSize, manager);
                Features fakeFeatures = FeatureExtraction.features(ex, fakeImages, batchSize, manager);
                Features realProbs = null;
                Features fakeProbs = null;
                if (probabilities || fakeLabels != null) {
                    fakeProbs = FeatureExtraction.classProbabilities(ex, fakeImages, batchSize, manager);
                    if (probabilities && !noFloor) {
                        realProbs = FeatureExtraction.classProbabilities(ex, realImages, batchSize, manager);
                    }
                }
                Features floorFeatures = null;
                Features floorProbs = null;
                if (floorReal != null && !noFloor) {
                    ImageSet floorImages = Reference.resolve(floorReal).load(manager);
                    if (floorImages.count() > Math.max(fakeImages.count(), 1) * 4) {
                        // a seeded draw of 4·N_gen is plenty for the floor's N_gen-sample subset
                        floorImages = floorImages.subset(firstIndices(fakeImages.count() * 4, floorImages.count(), seed));
                    }
                    floorFeatures = FeatureExtraction.features(ex, floorImages, batchSize, manager);
                    if (probabilities) {
                        floorProbs = FeatureExtraction.classProbabilities(ex, floorImages, batchSize, manager);
                    }
                }
                EvaluationConfig config = new EvaluationConfig(chosen, seed, !noFloor);
                List<MetricResult> results = Evaluation.run(new EvaluationInputs(realFeatures, fakeFeatures,
                        realProbs, fakeProbs, ex.info(), reference.name(), floorFeatures, floorProbs), config, manager);
                for (MetricResult r : results) {
                    stdout.println(r.summary());
                }
                String accuracyLine = null;
                if (fakeLabels != null) {
                    int[] labels = readLabels(fakeLabels, fakeImages.count());
                    double accuracy = CnnFeatureExtractor.accuracy(fakeProbs, labels);
                    accuracyLine = String.format(Locale.ROOT, "class accuracy (%s) of %d conditional samples: %.4f",
                            ex.info().name(), labels.length, accuracy);
                    stdout.println(accuracyLine);
                }
                if (out != null) {
                    Files.createDirectories(out);
                    EvaluationReport.writeJson(results, out.resolve("metrics.json"));
                    String md = "# Evaluation\n\nReal: `" + reference.name() + "`, generated: `" + fake + "`.\n\n"
                            + EvaluationReport.markdown(results) + (accuracyLine == null ? "" : "\n" + accuracyLine + "\n");
                    Files.writeString(out.resolve("report.md"), md);
                    stdout.println("wrote " + out.resolve("metrics.json") + " and " + out.resolve("report.md"));
                }
            }
        }
        stdout.flush();
        return 0;
    }

    private FeatureExtractor openExtractor(ExtractorKind kind, Path inceptionFile, NDManager manager) throws IOException {
        if (kind == ExtractorKind.INCEPTION) {
            if (inceptionFile == null) {
                throw new IllegalArgumentException("--extractor inception needs --inception <inception-2015-12-05.pt> "
                        + "or $GEN4J_INCEPTION");
            }
            return TorchScriptInception.load(inceptionFile);
        }
        if (classifier == null) {
            throw new IllegalArgumentException("--extractor classifier needs --classifier <file> "
                    + "(make one with 'eval train-classifier'), or pass --inception");
        }
        return CnnFeatureExtractor.load(classifier, manager);
    }

    private static int[] firstIndices(int m, int n, long seed) {
        // a stream other than the floor's own draw (new Random(seed)) from these rows
        return Permutations.sortedSample(n, m, new Random(seed ^ 0x5DEECE66DL));
    }

    private static ImageSet head(ImageSet images, int max) {
        return max > 0 && max < images.count() ? images.head(max) : images;
    }

    private static int[] readLabels(Path file, int expected) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        int n = Math.min(lines.size(), expected);
        if (lines.size() < expected) {
            throw new IllegalArgumentException(file + " has " + lines.size() + " labels, expected " + expected);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = Integer.parseInt(lines.get(i));
        }
        return labels;
    }

    /**
     * A real reference: a dataset name found by gen-core's {@link DatasetResolver}, or a path, with the
     * name recorded in the results.
     */
    record Reference(String name, Path path, boolean cifar10, DatasetResolver.Location location) {

        static Reference resolve(String spec) throws IOException {
            String lower = spec.trim().toLowerCase(Locale.ROOT);
            int colon = lower.lastIndexOf(':');
            DatasetId id = datasetId(colon > 0 ? lower.substring(0, colon) : lower);
            if (id != null) {
                String splitName = colon > 0 ? lower.substring(colon + 1) : "test";
                Split split = switch (splitName) {
                    case "train" -> Split.TRAIN;
                    case "test" -> Split.TEST;
                    default -> throw new IllegalArgumentException("--real " + spec + ": unknown split '" + splitName
                            + "', expected train or test");
                };
                DatasetResolver.Location location = DatasetResolver.defaults().locate(id, split, null);
                return new Reference(id.directoryName() + "/" + split.name().toLowerCase(Locale.ROOT),
                        location.directory(), false, location);
            }
            Path p = Path.of(spec);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("--real " + spec + ": no such file or directory, and not a known "
                        + "dataset name (" + knownNames() + ", each with an optional :train or :test)");
            }
            if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(Cifar10Reader.TEST_FILE))) {
                return new Reference("cifar10/test (" + p + ")", p, true, null);
            }
            return new Reference(p.toString(), p, false, null);
        }

        /** The dataset of a name: a {@link DatasetId}'s directory names or constant, or the alias fmnist. */
        private static DatasetId datasetId(String name) {
            if (name.equals("fmnist")) {
                return DatasetId.FASHION_MNIST;
            }
            for (DatasetId id : DatasetId.values()) {
                if (name.equals(id.directoryName()) || id.systemDirectoryNames().contains(name)
                        || name.equals(id.name().toLowerCase(Locale.ROOT))) {
                    return id;
                }
            }
            return null;
        }

        private static String knownNames() {
            return java.util.Arrays.stream(DatasetId.values()).map(DatasetId::directoryName)
                    .collect(java.util.stream.Collectors.joining(", "));
        }

        ImageSet load(NDManager manager) throws IOException {
            if (location != null) {
                return ImageSets.fromDataset(DatasetResolver.read(location)).images();
            }
            return cifar10 ? ImageSets.readCifar10(path, false).images() : ImageSets.read(path, PixelRange.ZERO_ONE, manager);
        }
    }

    /** Parses extractor kinds case-insensitively. */
    static final class ExtractorConverter implements ITypeConverter<ExtractorKind> {
        @Override
        public ExtractorKind convert(String value) {
            try {
                return ExtractorKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown extractor '" + value + "', expected inception or classifier");
            }
        }
    }

    /**
     * Parses {@code --fake-range} case-insensitively into gen-core's {@link PixelRange}: {@code unit}
     * (or {@code zero_one}) is [0, 1], {@code symmetric} (or {@code minus_one_one}) is [−1, 1],
     * {@code byte} is [0, 255].
     */
    static final class RangeConverter implements ITypeConverter<PixelRange> {
        @Override
        public PixelRange convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
                case "unit", "zero_one" -> PixelRange.ZERO_ONE;
                case "symmetric", "minus_one_one" -> PixelRange.MINUS_ONE_ONE;
                case "byte" -> PixelRange.BYTE;
                default -> throw new IllegalArgumentException("unknown range '" + value + "', expected unit, symmetric or byte");
            };
        }
    }

    /**
     * {@code gen4j eval train-classifier}: trains the in-project CNN used by {@code --extractor classifier}
     * and saves it with its SHA-256 printed.
     */
    @Command(name = "train-classifier", mixinStandardHelpOptions = true,
            description = "Train the small evaluation CNN (FashionMNIST-like data) and save it.")
    static final class TrainClassifier implements Callable<Integer> {

        @Option(names = "--data", defaultValue = "fashion-mnist",
                description = "Training data: fashion-mnist (60k training split) or a cifar-10-batches-bin directory (default: ${DEFAULT-VALUE}).")
        String data;

        @Option(names = "--out", required = true, description = "Where to write the classifier file.")
        Path out;

        @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--max-train", defaultValue = "0", description = "Use at most this many training images (0 = all).")
        int maxTrain;

        @picocli.CommandLine.Mixin
        GlobalOptions global = new GlobalOptions();

        @Override
        public Integer call() throws Exception {
            global.apply();
            String lower = data.toLowerCase(Locale.ROOT);
            ImageSet images;
            int[] labels;
            ImageSet test;
            int[] testLabels;
            CnnClassifierConfig architecture;
            if (lower.startsWith("fashion-mnist") || lower.startsWith("fmnist")) {
                images = ImageSets.readIdx(ImageSets.fashionMnistImages(true));
                labels = ImageSets.fashionMnistLabels(true);
                test = ImageSets.readIdx(ImageSets.fashionMnistImages(false));
                testLabels = ImageSets.fashionMnistLabels(false);
                architecture = CnnClassifierConfig.fashionMnist();
            } else if (Files.isDirectory(Path.of(data))) {
                io.gen4j.eval.LabelledImages trainSet = ImageSets.readCifar10(Path.of(data), true);
                io.gen4j.eval.LabelledImages testSet = ImageSets.readCifar10(Path.of(data), false);
                images = trainSet.images();
                labels = trainSet.labels();
                test = testSet.images();
                testLabels = testSet.labels();
                architecture = CnnClassifierConfig.cifar10();
            } else {
                throw new IllegalArgumentException("--data " + data
                        + ": expected fashion-mnist or a cifar-10-batches-bin directory");
            }
            if (maxTrain > 0 && maxTrain < images.count()) {
                images = images.head(maxTrain);
                labels = java.util.Arrays.copyOf(labels, maxTrain);
            }
            try (NDManager manager = NDManager.newBaseManager();
                    CnnFeatureExtractor cnn = new CnnClassifierTraining(epochs, batchSize, learningRate, seed)
                            .train(architecture, images, labels, manager)) {
                double accuracy = CnnFeatureExtractor.accuracy(
                        FeatureExtraction.classProbabilities(cnn, test, 500, manager), testLabels);
                cnn.save(out);
                System.out.printf(Locale.ROOT, "trained %s on %d images: test accuracy %.4f; wrote %s (sha256 %s)%n",
                        cnn.info().name(), images.count(), accuracy, out, cnn.info().fileHash());
            }
            return 0;
        }
    }
}
