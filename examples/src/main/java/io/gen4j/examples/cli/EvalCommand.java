package io.gen4j.examples.cli;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.Cifar10Reader;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.ImageSource;
import io.gen4j.core.data.Permutations;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.data.transform.ImageTransform;
import io.gen4j.core.train.Progress;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.eval.CnnClassifierConfig;
import io.gen4j.eval.CnnClassifierTraining;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.Evaluation;
import io.gen4j.eval.EvaluationConfig;
import io.gen4j.eval.EvaluationInputs;
import io.gen4j.eval.EvaluationReport;
import io.gen4j.eval.ExtractorInfo;
import io.gen4j.eval.FeatureExtraction;
import io.gen4j.eval.FeatureExtractor;
import io.gen4j.eval.Features;
import io.gen4j.eval.ImageSet;
import io.gen4j.eval.ImageSets;
import io.gen4j.eval.LabelledImages;
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
import picocli.CommandLine.ParameterException;

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
            description = "Required. Real reference: fashion-mnist, mnist or cifar10 [:train|:test] (default test split; found by the dataset resolver: $GEN4J_<NAME>, ~/.gen4j/datasets, /usr/share/datasets), a folder of IDX files or a cifar-10-batches-bin directory (test split), a folder of PNG/JPEG images (flat, or one sub-folder per class), a .npy, a .npz or an IDX file.")
    String real;

    @Option(names = "--floor-real",
            description = "Other real data for the real-vs-real floor at exactly N_real and N_gen (e.g. fashion-mnist:train); default: split --real.")
    String floorReal;

    @Option(names = "--fake", description = "Required. Generated samples: a folder of PNG/JPEG images (flat, or one sub-folder per intended class: then the class accuracy is printed), a .npy or a .npz.")
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

    @Option(names = {"--fake-range", "--range"}, converter = RangeConverter.class,
            description = "Value range of float arrays in the --fake .npy or .npz: unit [0,1], symmetric [-1,1], byte [0,255] (also zero_one, minus_one_one). Default: detected (a value < 0: symmetric; all in [0,1]: unit; values above 1 need this option). Integer arrays are always pixel levels 0-255; what was assumed is printed and recorded in the results.")
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

    @Option(names = "--out", description = "Directory for metrics.json and report.md (refused when they exist, unless --force).")
    Path out;

    @Option(names = "--force", description = "Replace metrics.json and report.md in --out.")
    boolean force;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    GlobalOptions global = new GlobalOptions();

    @picocli.CommandLine.Mixin
    ImageShapeOptions shape = new ImageShapeOptions();

    @Override
    public Integer call() throws Exception {
        // every option and input file is checked before the engine starts
        if (real == null || fake == null) {
            throw new ParameterException(spec.commandLine(),
                    "eval needs --real <dataset> and --fake <folder of PNGs | .npy | .npz> (or a subcommand)");
        }
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be >= 1, got " + batchSize);
        }
        if (maxReal < 0 || maxFake < 0) {
            throw new ParameterException(spec.commandLine(), "--max-real and --max-fake must be >= 0 (0 = all), got "
                    + maxReal + " and " + maxFake);
        }
        requireExists(fake, "--fake");
        // --image-size/--crop/--channels: real and generated images are read through the same transform
        ImageTransform load = shape.loadTransform().orElse(null);
        ExtractorKind kind = extractor;
        Path inceptionFile = inception;
        if (inceptionFile == null && System.getenv("GEN4J_INCEPTION") != null) {
            inceptionFile = Path.of(System.getenv("GEN4J_INCEPTION"));
        }
        if (kind == null) {
            kind = inceptionFile != null ? ExtractorKind.INCEPTION : ExtractorKind.CLASSIFIER;
        }
        if (kind == ExtractorKind.INCEPTION) {
            if (inceptionFile == null) {
                throw new ParameterException(spec.commandLine(), "--extractor inception needs --inception "
                        + "<inception-2015-12-05.pt> or $GEN4J_INCEPTION");
            }
            requireExists(inceptionFile, "--inception");
        } else {
            if (classifier == null) {
                throw new ParameterException(spec.commandLine(), "--classifier <file> is needed for the in-project "
                        + "features; make one with '" + Launcher.command("eval", "train-classifier", "--out",
                                "fmnist-cnn.bin") + "', or pass --inception <inception-2015-12-05.pt>");
            }
            requireExists(classifier, "--classifier");
        }
        List<Metric> chosen;
        try {
            chosen = MetricRegistry.installed().create(metrics, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--metrics: " + e.getMessage());
        }
        int[] labels = fakeLabels == null ? null : readLabels(fakeLabels);
        if (out != null && !force && (Files.exists(out.resolve("metrics.json")) || Files.exists(out.resolve("report.md")))) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " already holds metrics.json or "
                    + "report.md; pass --force to replace them or choose another --out");
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " is a file; --out names a directory");
        }
        Reference reference = Reference.resolve(real);
        Reference floorReference = floorReal == null || noFloor ? null : Reference.resolve(floorReal, "--floor-real");

        global.apply();
        boolean probabilities = chosen.stream().anyMatch(Metric::needsProbabilities);
        PrintWriter stdout = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager()) {
            ImageSets.Decoded realRead = shaped(reference.load(load, seed));
            ImageSets.Decoded fakeRead = shaped(transformed(ImageSets.decode(fake, fakeRange), load, seed, "--fake"));
            ImageSet realImages = head(realRead.images(), maxReal);
            ImageSet fakeImages = head(fakeRead.images(), maxFake);
            if (labels == null && fakeRead.dataset() != null && fakeRead.dataset().numClasses() > 1) {
                labels = folderLabels(fakeRead.dataset(), realRead.dataset(), fakeImages.count(), stdout);
            }
            if (labels != null && labels.length != fakeImages.count()) {
                throw new IllegalArgumentException("--fake-labels " + fakeLabels + " has " + labels.length
                        + " labels for " + fakeImages.count() + " generated images; give one per image, in file order");
            }
            stdout.printf(Locale.ROOT, "real: %s (%s; %s)%nfake: %s (%s; %s)%n", reference.name(), realImages,
                    realRead.reading(), fake, fakeImages, fakeRead.reading());
            try (FeatureExtractor ex = openExtractor(kind, inceptionFile, manager)) {
                realImages = fitTo(ex, realImages, "--real " + real);
                fakeImages = fitTo(ex, fakeImages, "--fake " + fake);
                ImageSet floorImages = null;
                if (floorReference != null) {
                    floorImages = fitTo(ex, shaped(floorReference.load(load, seed)).images(),
                            "--floor-real " + floorReal);
                    if (floorImages.count() > Math.max(fakeImages.count(), 1) * 4) {
                        // a seeded draw of 4·N_gen is plenty for the floor's N_gen-sample subset
                        floorImages = floorImages.subset(firstIndices(fakeImages.count() * 4, floorImages.count(), seed));
                    }
                }
                stdout.printf(Locale.ROOT, "extractor: %s (sha256 %s)%n", ex.info().name(), ex.info().fileHash());
                stdout.flush();
                boolean fakeProbsNeeded = probabilities || labels != null;
                boolean realProbsNeeded = probabilities && !noFloor;
                long passes = realImages.count() + fakeImages.count() + (fakeProbsNeeded ? fakeImages.count() : 0)
                        + (realProbsNeeded ? realImages.count() : 0) + (floorImages == null ? 0
                                : floorImages.count() * (probabilities ? 2L : 1L));
                Progress progress = Progress.create(spec.commandLine().getErr(), "images", Math.max(1, passes));
                java.util.function.IntConsumer step = progress::advance;
                Features realFeatures;
                Features fakeFeatures;
                Features realProbs = null;
                Features fakeProbs = null;
                Features floorFeatures = null;
                Features floorProbs = null;
                try {
                    realFeatures = finite(FeatureExtraction.features(ex, realImages, batchSize, manager, step), ex);
                    fakeFeatures = finite(FeatureExtraction.features(ex, fakeImages, batchSize, manager, step), ex);
                    if (fakeProbsNeeded) {
                        fakeProbs = finite(FeatureExtraction.classProbabilities(ex, fakeImages, batchSize, manager,
                                step), ex);
                    }
                    if (realProbsNeeded) {
                        realProbs = finite(FeatureExtraction.classProbabilities(ex, realImages, batchSize, manager,
                                step), ex);
                    }
                    if (floorImages != null) {
                        floorFeatures = finite(FeatureExtraction.features(ex, floorImages, batchSize, manager, step),
                                ex);
                        if (probabilities) {
                            floorProbs = finite(FeatureExtraction.classProbabilities(ex, floorImages, batchSize,
                                    manager, step), ex);
                        }
                    }
                } catch (RuntimeException e) {
                    progress.stop();
                    throw e;
                }
                progress.close();
                // how the files' values became pixels is part of every result's preprocessing
                ExtractorInfo info = new ExtractorInfo(ex.info().name(), ex.info().fileHash(),
                        ex.info().preprocessing() + "; real: " + realRead.reading() + "; generated: "
                                + fakeRead.reading(), ex.info().featureDim(), ex.info().numClasses());
                EvaluationConfig config = new EvaluationConfig(chosen, seed, !noFloor);
                List<MetricResult> results = Evaluation.run(new EvaluationInputs(realFeatures, fakeFeatures,
                        realProbs, fakeProbs, info, reference.name(), floorFeatures, floorProbs), config, manager);
                for (MetricResult r : results) {
                    stdout.println(r.summary());
                }
                String accuracyLine = null;
                if (labels != null) {
                    double accuracy = CnnFeatureExtractor.accuracy(fakeProbs, labels);
                    accuracyLine = String.format(Locale.ROOT, "class accuracy (%s) of %d conditional samples: %.4f",
                            ex.info().name(), labels.length, accuracy);
                    stdout.println(accuracyLine);
                }
                if (out != null) {
                    Files.createDirectories(out);
                    EvaluationReport.writeJson(results, out.resolve("metrics.json"));
                    String md = "# Evaluation\n\nReal: `" + reference.name() + "` (" + realRead.reading()
                            + "), generated: `" + fake + "` (" + fakeRead.reading() + ").\n\n"
                            + EvaluationReport.markdown(results) + (accuracyLine == null ? "" : "\n" + accuracyLine + "\n");
                    io.gen4j.core.io.AtomicFiles.write(out.resolve("report.md"),
                            o -> o.write(md.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    stdout.println("wrote " + out.resolve("metrics.json") + " and " + out.resolve("report.md"));
                }
            }
        }
        stdout.flush();
        return 0;
    }

    /** {@link #grey}, unless {@code --channels} fixed the channels. */
    private ImageSets.Decoded shaped(ImageSets.Decoded d) {
        return shape.channels != null ? d : grey(d);
    }

    /**
     * The images through the read-time transform of {@code --image-size}/{@code --crop}/{@code
     * --channels} (image i draws its random crop from the seed and i), the reading extended by what was
     * done; {@code d} itself when there is none.
     */
    static ImageSets.Decoded transformed(ImageSets.Decoded d, ImageTransform load, long seed, String what) {
        if (load == null) {
            return d;
        }
        ImageSet images = d.images();
        ImageDataset asRead = d.dataset() != null && d.dataset().size() == images.count() ? d.dataset()
                : new ImageDataset(what, images.channels(), images.height(), images.width(), images.pixels(),
                        new int[images.count()], List.of("all"));
        ImageDataset done;
        try {
            done = asRead.transform(load, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        return new ImageSets.Decoded(ImageSets.fromDataset(done).images(), d.reading() + ", preprocessed: "
                + load.describe(), d.dataset() == null ? null : done);
    }

    /** RGB images with three equal channels become grey, and the reading says so. */
    private static ImageSets.Decoded grey(ImageSets.Decoded d) {
        ImageSet g = ImageSets.greyIfEqualChannels(d.images());
        return g == d.images() ? d : new ImageSets.Decoded(g, d.reading() + ", RGB with equal channels read as grey",
                d.dataset());
    }

    /**
     * The intended classes of generated images sorted into class sub-folders: each sub-folder's
     * position among the real data's class names when they all appear there, else its position
     * among the generated sub-folders (sorted names).
     */
    private static int[] folderLabels(ImageDataset fake, ImageDataset real, int count, PrintWriter stdout) {
        int[] labels = java.util.Arrays.copyOf(fake.labels(), count);
        boolean byName = real != null && real.classNames().containsAll(fake.classNames());
        if (byName) {
            for (int i = 0; i < labels.length; i++) {
                labels[i] = real.classNames().indexOf(fake.classNames().get(labels[i]));
            }
        }
        stdout.printf(Locale.ROOT, "--fake labels: from its %d sub-folders (%s), %s%n", fake.numClasses(),
                String.join(", ", fake.classNames()), byName ? "matched to the real data's class names"
                        : "numbered in name order");
        return labels;
    }

    private void requireExists(Path file, String option) {
        if (!Files.exists(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + ": no such file or directory");
        }
    }

    /**
     * The images as the extractor takes them: grey replicated to RGB for an RGB network; anything
     * else that does not fit (colour for a grey network, another size) refused before any feature
     * is computed.
     */
    private static ImageSet fitTo(FeatureExtractor ex, ImageSet images, String what) {
        if (!(ex instanceof CnnFeatureExtractor cnn)) {
            return images; // Inception resizes and replicates grey itself
        }
        CnnClassifierConfig c = cnn.block().config();
        if (images.channels() == 1 && c.channels() == 3 && images.height() == c.height() && images.width() == c.width()) {
            return ImageSets.greyToRgb(images);
        }
        if (images.channels() != c.channels() || images.height() != c.height() || images.width() != c.width()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: images are %dx%dx%d (CxHxW), but the classifier %s takes %dx%dx%d%s", what, images.channels(),
                    images.height(), images.width(), c.name(), c.channels(), c.height(), c.width(),
                    images.channels() != c.channels() ? (images.channels() == 3
                            ? "; colour images need a classifier trained on colour data (or --inception)"
                            : "") : ""));
        }
        return images;
    }

    /** Refuses features that are not finite: the classifier (or Inception file) is broken. */
    private static Features finite(Features f, FeatureExtractor ex) {
        for (double v : f.data()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the extractor " + ex.info().name() + " (sha256 "
                        + ex.info().fileHash() + ") gives non-finite outputs; its file is damaged or its training "
                        + "diverged: train or download it again");
            }
        }
        return f;
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

    private int[] readLabels(Path file) throws IOException {
        requireExists(file, "--fake-labels");
        List<String> lines = Files.readAllLines(file).stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        int[] labels = new int[lines.size()];
        for (int i = 0; i < labels.length; i++) {
            try {
                labels[i] = Integer.parseInt(lines.get(i));
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--fake-labels " + file + ": line " + (i + 1)
                        + " is '" + lines.get(i) + "', expected a class number");
            }
            if (labels[i] < 0) {
                throw new ParameterException(spec.commandLine(), "--fake-labels " + file + ": line " + (i + 1)
                        + " is " + labels[i] + ", expected a class number >= 0");
            }
        }
        if (labels.length == 0) {
            throw new ParameterException(spec.commandLine(), "--fake-labels " + file + " holds no labels");
        }
        return labels;
    }

    /**
     * A real reference: a dataset name or a folder, resolved by gen-core's {@link ImageSource} (the
     * one reader of every command's image data), or a {@code .npy}, {@code .npz} or IDX file read by
     * {@link ImageSets#decode}; the name is recorded in the results.
     */
    record Reference(String name, Path path, ImageSource source) {

        static Reference resolve(String spec) throws IOException {
            return resolve(spec, "--real");
        }

        static Reference resolve(String spec, String option) throws IOException {
            Path p = Path.of(spec);
            String lower = spec.trim().toLowerCase(Locale.ROOT);
            boolean named = ImageSource.datasetId(lower.contains(":") ? lower.substring(0, lower.lastIndexOf(':'))
                    : lower).isPresent();
            if (!named && Files.isRegularFile(p)) {
                return new Reference(p.toString(), p, null);
            }
            ImageSource source;
            try {
                source = ImageSource.parse(spec, Split.TEST);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException(option + " " + spec + ": " + e.getReason());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " " + e.getMessage());
            }
            if (source.kind() == ImageSource.Kind.DATASET) {
                // found before the engine starts; the message lists every place tried
                DatasetResolver.defaults().locate(source.dataset(), source.split(), null);
                return new Reference(source.name(), null, source);
            }
            return new Reference(source.kind() == ImageSource.Kind.IMAGE_FOLDER ? p.toString() : source.name(), p,
                    source);
        }

        /**
         * @param load the read-time transform, or null for the images as they are
         * @param seed the seed of its random steps
         */
        ImageSets.Decoded load(ImageTransform load, long seed) throws IOException {
            if (source == null) {
                return transformed(ImageSets.decode(path, null), load, seed, "--real " + name);
            }
            if (source.kind() == ImageSource.Kind.DATASET) {
                ImageDataset d = source.read(DatasetResolver.defaults(), load == null ? ImageTransform.identity()
                        : load, seed);
                return new ImageSets.Decoded(ImageSets.fromDataset(d).images(), "bytes of " + source.name()
                        + (load == null ? "" : ", preprocessed: " + load.describe()), d);
            }
            if (load == null) {
                return ImageSets.readFolder(path);
            }
            // through the transform as each file is read: a folder of images of different sizes works
            ImageDataset d = source.read(DatasetResolver.defaults(), load, seed);
            ImageSet images = ImageSets.fromDataset(d).images();
            String what = switch (source.kind()) {
                case IMAGE_FOLDER -> "PNG/JPEG images" + (d.numClasses() > 1 ? ", " + d.numClasses()
                        + " classes (sub-folders " + String.join(", ", d.classNames()) + ")" : "");
                case CIFAR_FOLDER -> "CIFAR-10 bytes of " + path + " (test split)";
                default -> "IDX bytes of " + path + " (test split)";
            };
            return new ImageSets.Decoded(images, what + ", preprocessed: " + load.describe(), d);
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
                description = "Training data: fashion-mnist, mnist or cifar10 (found by the dataset resolver), a folder of IDX files, a cifar-10-batches-bin directory, or a folder of PNG/JPEG images with one sub-folder per class (a tenth held out for the test) (default: ${DEFAULT-VALUE}).")
        String data;

        @Option(names = "--out", required = true, description = "The classifier file to write (refused when it exists, unless --force).")
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

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Mixin
        ImageShapeOptions shape = new ImageShapeOptions();

        @Option(names = "--force", description = "Replace --out when it exists.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            // options, data and the output file are checked before the engine starts and before training
            if (epochs < 1 || batchSize < 1 || maxTrain < 0 || !(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--epochs and --batch-size "
                        + "must be >= 1, --max-train >= 0 and --lr finite and > 0; got %d, %d, %d and %s", epochs,
                        batchSize, maxTrain, learningRate));
            }
            if (Files.isDirectory(out)) {
                throw new ParameterException(spec.commandLine(), "--out " + out + " is a directory; --out names the "
                        + "classifier file to write, e.g. " + out.resolve("fmnist-cnn.bin"));
            }
            if (Files.exists(out) && !force) {
                throw new ParameterException(spec.commandLine(), "--out " + out + " exists; pass --force to replace it "
                        + "or choose another --out");
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
                throw new ParameterException(spec.commandLine(), "--out " + out + ": " + parent + " is not a directory");
            }
            TrainingData d = TrainingData.resolve(data, shape.loadTransform().orElse(null));
            global.apply();
            ImageSet images = d.train().images();
            int[] labels = d.train().labels();
            if (maxTrain > 0 && maxTrain < images.count()) {
                images = images.head(maxTrain);
                labels = java.util.Arrays.copyOf(labels, maxTrain);
            }
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(Locale.ROOT, "training %s on %d images of %s%n", d.architecture().name(), images.count(),
                    d.name());
            stdout.flush();
            CnnClassifierTraining training = new CnnClassifierTraining(epochs, batchSize, learningRate, seed);
            PrintWriter err = spec.commandLine().getErr();
            ProgressBar progress = ProgressBar.create(err, Math.max(1, training.totalSteps(images.count()) / 10));
            try (NDManager manager = NDManager.newBaseManager();
                    CnnFeatureExtractor cnn = training.train(d.architecture(), images, labels, manager, progress)) {
                Features probabilities = FeatureExtraction.classProbabilities(cnn, d.test().images(), 500, manager);
                int[] testLabels = d.test().labels();
                double accuracy = CnnFeatureExtractor.accuracy(probabilities, testLabels);
                double loss = crossEntropy(probabilities, testLabels);
                int k = d.architecture().numClasses();
                // better than chance by three binomial standard deviations of a guessing classifier
                double chance = 1.0 / k;
                double bar = chance + 3 * Math.sqrt(chance * (1 - chance) / testLabels.length);
                if (!Double.isFinite(loss)) {
                    spec.commandLine().getErr().printf(Locale.ROOT, "not saved: the classifier's test loss is %s (its "
                            + "training diverged); try a smaller --lr than %s%n", loss, learningRate);
                    return 1;
                }
                if (accuracy <= bar) {
                    spec.commandLine().getErr().printf(Locale.ROOT, "not saved: test accuracy %.4f on %d images is "
                            + "at chance (1/%d = %.3f; needs > %.3f): its features would measure nothing; train longer "
                            + "(--epochs, --max-train 0) or with another --lr%n", accuracy, testLabels.length, k, chance,
                            bar);
                    return 1;
                }
                cnn.save(out);
                stdout.printf(Locale.ROOT, "trained %s on %d images: test accuracy %.4f, test loss %.4f; wrote %s "
                        + "(sha256 %s)%n", cnn.info().name(), images.count(), accuracy, loss, out, cnn.info().fileHash());
                stdout.flush();
            }
            return 0;
        }

        /** Mean −log p(label) over the rows. */
        private static double crossEntropy(Features probabilities, int[] labels) {
            double sum = 0;
            for (int i = 0; i < labels.length; i++) {
                sum -= Math.log(probabilities.get(i, labels[i]));
            }
            return sum / labels.length;
        }
    }

    /**
     * The data of {@code train-classifier}, through gen-core's {@link ImageSource}: FashionMNIST,
     * MNIST or CIFAR-10 by name, a folder of IDX files or CIFAR-10 batches, or an image folder with
     * one sub-folder per class (a seeded tenth held out as the test split).
     */
    record TrainingData(String name, LabelledImages train, LabelledImages test, CnnClassifierConfig architecture) {

        /**
         * @param data the {@code --data} argument
         * @param load the read-time transform of {@code --image-size}/{@code --crop}/{@code --channels}
         *     (seed 0), or null; the classifier then takes the transformed images' shape
         */
        static TrainingData resolve(String data, ImageTransform load) throws IOException {
            ImageTransform t = load == null ? ImageTransform.identity() : load;
            ImageSource source;
            try {
                source = ImageSource.parse(data, Split.TRAIN);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("--data " + data + ": " + e.getReason());
            }
            DatasetResolver resolver = DatasetResolver.defaults();
            if (source.kind() == ImageSource.Kind.IMAGE_FOLDER) {
                // the user's own images: the sub-folders are the classes; a seeded tenth is the test split
                ImageDataset all = source.read(resolver, t, 0);
                if (all.numClasses() < 2) {
                    throw new io.gen4j.core.data.DatasetFormatException(source.path(), "has no class sub-folders: a "
                            + "classifier needs at least two classes (one sub-folder of images per class)");
                }
                if (all.height() % 4 != 0 || all.width() % 4 != 0) {
                    throw new io.gen4j.core.data.DatasetFormatException(source.path(), "images are " + all.width()
                            + "x" + all.height() + "; the classifier needs sides that are multiples of 4 (resize them,"
                            + " with --image-size, e.g. to 28, 32 or 64)");
                }
                io.gen4j.core.data.TrainTest split = io.gen4j.core.data.TrainTest.holdOut(all, 0.1, 0);
                String name = all.name().replaceAll("[^A-Za-z0-9._-]", "-");
                return new TrainingData(source.path() + " (" + all.numClasses() + " classes, " + split.test().size()
                        + " held out)", ImageSets.fromDataset(split.train()), ImageSets.fromDataset(split.test()),
                        new CnnClassifierConfig(name + "-cnn", all.channels(), all.height(), all.width(),
                                all.numClasses(), 32, 64, 128));
            }
            ImageDataset train = source.read(resolver, t, 0);
            ImageDataset test = source.withSplit(Split.TEST).read(resolver, t, 0);
            DatasetId id = source.dataset();
            CnnClassifierConfig architecture;
            if (source.kind() == ImageSource.Kind.CIFAR_FOLDER || id == DatasetId.CIFAR10) {
                architecture = CnnClassifierConfig.cifar10();
            } else if (id == DatasetId.MNIST) {
                architecture = new CnnClassifierConfig("mnist-cnn", 1, 28, 28, 10, 32, 64, 128);
            } else {
                architecture = CnnClassifierConfig.fashionMnist();
            }
            // IDX files do not say which set they hold; a folder of them trains the FashionMNIST architecture
            String name = id != null ? id.directoryName() : source.kind() == ImageSource.Kind.CIFAR_FOLDER
                    ? "CIFAR-10 (" + source.path() + ")" : "fashion-mnist (" + source.path() + ")";
            if (load != null) {
                // the same layers on the preprocessed shape, under a name that says so
                architecture = new CnnClassifierConfig(architecture.name() + "-" + train.channels() + "x"
                        + train.height() + "x" + train.width(), train.channels(), train.height(), train.width(),
                        architecture.numClasses(), architecture.conv1(), architecture.conv2(), architecture.featureDim());
                name = name + ", preprocessed: " + load.describe();
            }
            return new TrainingData(name, ImageSets.fromDataset(train), ImageSets.fromDataset(test), architecture);
        }
    }
}
