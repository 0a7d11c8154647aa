package io.gen4j.examples.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ArrayFiles;
import io.gen4j.core.io.Csv;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.io.NpyWriter;
import io.gen4j.core.io.NumpyArray;
import io.gen4j.core.io.NumpyType;
import io.gen4j.core.io.Npz;
import io.gen4j.core.model.ChunkedSampleable;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.PreparedSampler;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.Progress;
import io.gen4j.core.viz.ImageGrid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gen4j sample}: draws samples from any saved model (every family, through {@code
 * ModelStore}) and writes them as an image grid, a folder of PNGs or arrays ({@code .npz}, {@code
 * .npy}, {@code .csv}), in chunks so that memory is bounded by {@code --chunk}, not by {@code -n}.
 * What {@code eval} reads: a PNG folder, a {@code .npz} or a {@code .npy}. A progress line
 * ({@link Progress}, counted in samples) goes to stderr.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw samples from a saved model (a run directory with model/, or a model folder) and write "
                + "them as a grid, PNG files or arrays.")
public final class SampleCommand implements Callable<Integer> {

    /** What to write. */
    enum Format {
        /** One PNG with the images in a grid (images only; the default for images). */
        GRID,
        /** A folder with one PNG per image, what {@code eval --fake} reads. */
        PNG,
        /** One {@code .npz} with the array {@code arr_0}: uint8 (N, C, H, W) images, float32 otherwise. */
        NPZ,
        /** One {@code .npy}, written as the chunks arrive (the default for non-images). */
        NPY,
        /** A CSV table of (N, D) vectors (non-images only). */
        CSV
    }

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = {"--run", "--model"}, required = true, paramLabel = "<dir>",
            description = "A run directory (with model/) written by quickstart or a topic, or a model folder.")
    Path run;

    @Option(names = {"-n", "--count"}, defaultValue = "64", description = "Number of samples (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--steps", defaultValue = "0",
            description = "Sampler steps of iterative samplers (diffusion); default 0: the model's own.")
    int steps;

    @Option(names = "--eta", description = "DDIM eta in [0, 1] (diffusion): 0 deterministic, 1 ancestral; default: the "
            + "model's own.")
    Double eta;

    @Option(names = "--temperature", defaultValue = "1",
            description = "Scale of the prior's standard deviation (flows, VAEs), > 0 (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--label", defaultValue = "-1",
            description = "Class of every sample of a conditional model; default -1 cycles through the classes.")
    int label;

    @Option(names = "--class", paramLabel = "<k[,k...]|all>",
            description = "Classes of a conditional model: one class, a comma-separated list cycled over the samples, "
                    + "or all (cycles through every class; the default).")
    String classes;

    @Option(names = "--guidance", paramLabel = "<w>", description = "Classifier-free guidance scale w >= 0 of a "
            + "class-conditional diffusion model: 0 unconditional, 1 conditional (the default), > 1 guided.")
    Double guidance;

    @Option(names = "--sampler", description = "Sampler of a model that offers several: diffusion ddpm, ddim (the "
            + "default), euler, heun or dpmpp-2m (Karras sigmas; heun evaluates the network 2*steps-1 times); "
            + "NCSN annealed-langevin (the default) or pc (VE reverse SDE, predictor-corrector).")
    String sampler;

    @Option(names = "--prompt", paramLabel = "<text>", description = "Prompt of every sample of a text-to-image "
            + "model (family latent-diffusion), e.g. \"a pair of trousers\"; default: the model's own prompts in turn.")
    String prompt;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--format", converter = FormatConverter.class,
            description = "grid, png (a folder of PNGs), npz, npy or csv (default: grid for images, npy otherwise).")
    Format format;

    @Option(names = "--out", description = "File or folder to write (default: <run>/samples-<seed>.<format>).")
    Path out;

    @Option(names = "--force", description = "Replace --out when it exists.")
    boolean force;

    @Option(names = "--chunk", defaultValue = "64",
            description = "Samples drawn at once; bounds the memory (default: ${DEFAULT-VALUE}).")
    int chunk;

    /** Parses {@link Format} names case-insensitively. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "--format must be grid, png, npz, npy or csv, got '" + value + "'");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count < 1 || chunk < 1) {
            err.printf("-n and --chunk must be >= 1, got %d and %d%n", count, chunk);
            return 2;
        }
        Path dir = Files.isRegularFile(run.resolve(ModelStore.SPEC_FILE)) ? run : run.resolve("model");
        if (!ModelStore.isModel(dir)) {
            java.util.List<String> saved = new java.util.ArrayList<>();
            if (Files.isDirectory(run.resolve("models"))) {
                try (var list = Files.list(run.resolve("models"))) {
                    list.filter(ModelStore::isModel).sorted().forEach(p -> saved.add(p.toString()));
                }
            }
            if (!saved.isEmpty()) {
                err.printf("%s holds several saved models; choose one with --run: %s%n", run, String.join(", ", saved));
            } else {
                err.printf("no saved model in %s (expected %s or %s); train one first, e.g. '%s'%n", run,
                        run.resolve(ModelStore.SPEC_FILE), dir.resolve(ModelStore.SPEC_FILE),
                        Launcher.command("quickstart"));
            }
            return 2;
        }
        SampleOptions options;
        try {
            options = new SampleOptions(steps, eta == null ? Double.NaN : eta, temperature, label, classList(),
                    guidance == null ? Double.NaN : guidance, sampler == null ? null : sampler.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println(optionNames(e.getMessage()));
            return 2;
        }
        ModelSpec modelSpec = ModelStore.readSpec(dir);
        try {
            modelSpec.checkSampleOptions(options); // before the engine starts: --steps above T is refused at once
        } catch (IllegalArgumentException e) {
            err.println(optionNames(e.getMessage()));
            return 2;
        }
        if (prompt != null) {
            if (!(modelSpec instanceof io.gen4j.diffusion.latent.LatentDiffusionSpec textModel)) {
                err.printf("--prompt needs a text-to-image model (family %s); %s is a '%s' model%n",
                        io.gen4j.diffusion.latent.LatentDiffusionSpec.FAMILY, dir, modelSpec.family());
                return 2;
            }
            try {
                textModel.checkPrompt(prompt);
            } catch (IllegalArgumentException e) {
                err.println("--" + e.getMessage());
                return 2;
            }
        }
        DataSpec data = modelSpec.data();
        Format f = format != null ? format : data.isImage() ? Format.GRID : Format.NPY;
        if (!data.isImage() && (f == Format.GRID || f == Format.PNG)) {
            err.printf("--format %s needs image data; this model samples vectors of shape %s: use npy, npz or csv%n",
                    f.name().toLowerCase(Locale.ROOT), java.util.Arrays.toString(data.shape()));
            return 2;
        }
        if (f == Format.CSV && data.shape().length != 1) {
            err.println("--format csv needs vector data; this model samples images: use png, npz or npy");
            return 2;
        }
        Path target = out != null ? out : run.resolve("samples-" + seed + extension(f));
        if (Files.exists(target) && !force) {
            err.printf("%s exists; pass --force to replace it or choose another --out%n", target);
            return 2;
        }
        global.apply();
        Engine.getInstance().setRandomSeed(seed);
        long t0 = System.nanoTime();
        Progress progress = Progress.create(err, "sample", count);
        try (NDManager manager = NDManager.newBaseManager()) {
            GenerativeModel model = ModelStore.load(dir, manager, GenerativeModel.class);
            // prepared once for the run: a family may fold constants there (RealNVP on vectors)
            try (PreparedSampler sampler = model.prepareSampler(manager, options)) {
                ChunkedSampleable chunked = new ChunkedSampleable((m, k) -> {
                    NDArray x = prompt == null ? sampler.sample(m, k)
                            : ((io.gen4j.diffusion.latent.LatentDiffusionModel) model).sample(m,
                                    java.util.Collections.nCopies(k, prompt), options);
                    progress.advance(k);
                    return x;
                }, chunk);
                write(chunked, manager, data, f, target);
            }
        } catch (IllegalArgumentException e) {
            // a value only the model can check (e.g. --steps above its T): named as the option
            progress.stop();
            err.println(optionNames(e.getMessage()));
            return 2;
        } catch (IOException | RuntimeException e) {
            progress.stop();
            throw e;
        }
        progress.close();
        double seconds = (System.nanoTime() - t0) / 1e9;
        pw.printf(Locale.ROOT, "%d samples of %s in %.1f s (%.1f samples/s, chunks of %d, peak RSS %d MiB) -> %s%n",
                count, ModelStore.readSpec(dir).family(), seconds, count / seconds, Math.min(chunk, count),
                io.gen4j.examples.bench.Bench.peakRssMiB(), target);
        pw.flush();
        return 0;
    }

    /** The sampler's messages about {@link SampleOptions} fields, with the fields named as this command's options. */
    static String optionNames(String message) {
        return message.replaceFirst("^steps must", "--steps must").replaceFirst("^eta must", "--eta must")
                .replaceFirst("^temperature must", "--temperature must").replaceFirst("^label must", "--label must")
                .replaceFirst("^classes must", "--class must").replaceFirst("^guidance must", "--guidance must")
                .replaceFirst("^sampler must", "--sampler must");
    }

    /** @return the classes of {@code --class}: empty for none or "all" */
    private int[] classList() {
        if (classes == null || classes.trim().equalsIgnoreCase("all")) {
            return new int[0];
        }
        if (label != -1) {
            throw new IllegalArgumentException("classes must not be given together with --label " + label);
        }
        String[] parts = classes.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("classes must be a class, a comma-separated list of classes or all, "
                        + "got '" + classes + "'");
            }
        }
        return out;
    }

    private static String extension(Format f) {
        return switch (f) {
            case GRID -> ".png";
            case PNG -> "";
            case NPZ -> ".npz";
            case NPY -> ".npy";
            case CSV -> ".csv";
        };
    }

    private void write(ChunkedSampleable chunked, NDManager manager, DataSpec data, Format f, Path target)
            throws IOException {
        PixelRange range = data.pixels();
        Shape one = new Shape(data.shape());
        switch (f) {
            case GRID -> {
                NDArray all = chunked.sample(manager, count);
                ImageGrid.writePng(all, range, (int) Math.ceil(Math.sqrt(count)), 2, target);
            }
            case PNG -> {
                if (force && Files.isDirectory(target)) {
                    try (var old = Files.list(target)) {
                        for (Path p : (Iterable<Path>) old.filter(p -> p.getFileName().toString().endsWith(".png"))::iterator) {
                            Files.delete(p);
                        }
                    }
                }
                Files.createDirectories(target);
                int digits = Integer.toString(count - 1).length();
                int[] index = {0};
                chunked.sampleTo(manager, count, x -> {
                    for (int i = 0; i < x.getShape().get(0); i++) {
                        Path file = target.resolve(String.format(Locale.ROOT, "%0" + digits + "d.png", index[0]++));
                        ImageGrid.writePng(x.get(i).expandDims(0), range, 1, 0, file);
                    }
                });
            }
            case NPY -> {
                boolean complete = false;
                try (NpyWriter writer = data.isImage() ? NpyWriter.images(target, one, range)
                        : NpyWriter.create(target, NumpyType.FLOAT32, one)) {
                    chunked.sampleTo(manager, count, writer::append);
                    complete = true;
                } finally {
                    if (!complete) {
                        // closing finished the header with the rows so far: a stopped or failed run must not
                        // leave a file that reads as a smaller sample
                        Files.deleteIfExists(target);
                    }
                }
            }
            case NPZ -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                NumpyType type = data.isImage() ? NumpyType.UINT8 : NumpyType.FLOAT32;
                chunked.sampleTo(manager, count, x -> {
                    NumpyArray a = NumpyArray.of(x);
                    bytes.write(raw(data.isImage() ? a.toPixels(range) : a.asType(NumpyType.FLOAT32)));
                });
                long[] shape = new long[data.shape().length + 1];
                shape[0] = count;
                System.arraycopy(data.shape(), 0, shape, 1, data.shape().length);
                Npz.write(target, Map.of(ArrayFiles.NPZ_ARRAY_NAME,
                        new NumpyArray(type, new Shape(shape), bytes.toByteArray())));
            }
            case CSV -> {
                NDArray all = chunked.sample(manager, count);
                String[] header = new String[(int) data.shape()[0]];
                for (int i = 0; i < header.length; i++) {
                    header[i] = "x" + i;
                }
                Csv.write(target, NumpyArray.of(all), header);
            }
            default -> throw new IllegalStateException("unhandled format " + f);
        }
    }

    private static byte[] raw(NumpyArray a) {
        return a.toLittleEndianBytes();
    }
}
