package io.gen4j.examples.topics.ddpm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.ImagePreprocessing;
import io.gen4j.core.data.transform.ImageTransform;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.Condition;
import io.gen4j.core.train.Ema;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.viz.Plots;
import io.gen4j.core.viz.Series;
import io.gen4j.diffusion.Ddpm;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.DdpmSampler;
import io.gen4j.diffusion.DdpmVariance;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.diffusion.VariationalBound;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.SampleQuality;
import io.gen4j.examples.topics.Topic;
import io.gen4j.examples.topics.TopicData;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicRun;
import io.gen4j.examples.topics.TopicResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Course topic 11-05: DDPM from scratch on CIFAR-10 (FashionMNIST padded to 32×32 when CIFAR-10 is
 * not available offline), with DDIM from 11-07.
 *
 * <p>Writes: the forward noising strip, the β and ᾱ schedules (linear vs cosine), the training loss
 * curve, a sample grid from the EMA weights, a denoising trajectory, DDPM vs DDIM grids at several
 * step counts with their wall time, the variational bound in bits/dim (total and per step), the
 * saved model for {@code gen4j sample}, and report.md.
 */
public final class DdpmTopic implements Topic {

    @Override
    public String id() {
        return "11-05";
    }

    @Override
    public String title() {
        return "DDPM from scratch: forward process, U-Net, ancestral sampling, DDIM, the bound";
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        Profile profile = options.profile();
        TopicData data = DdpmRun.loadData(DatasetId.CIFAR10, options.dataPath(), 32, options.preprocessing());
        DdpmRunConfig config = DdpmRunConfig.forTopic(profile, data.train().channels())
                .withData(data, options.preprocessing());
        TopicRun topicRun = TopicRun.open(options, "11-05-ddpm", config);
        RunDirectory run = topicRun.directory();
        List<Path> files = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder();
        report.append("# 11-05 DDPM from scratch\n\n").append(data.note()).append("\n\n")
                .append("Profile ").append(profile.name().toLowerCase()).append(", U-Net ")
                .append(config.unet()).append(", ").append(config.schedule()).append(" schedule, T = ")
                .append(config.diffusionSteps()).append(", batch ").append(config.batch())
                .append(", ").append(config.trainSteps()).append(" steps.\n\n");
        Engine.getInstance().setRandomSeed((int) options.seed());
        try (NDManager manager = NDManager.newBaseManager()) {
            DdpmRun ddpm = DdpmRun.create(manager, config, data);
            report.append("Parameters: ").append(ddpm.unet().parameterCount()).append(".\n\n");
            NoiseSchedule schedule = ddpm.schedule();

            files.add(forwardStrip(manager, ddpm, data, run, report));
            files.add(schedulePlot(config.diffusionSteps(), run, report));

            DdpmRun.Trained trained = ddpm.train(config, data, topicRun, options.seed(), List.of(),
                    options.preprocessing().map(ImagePreprocessing::augment).orElse(ImageTransform.identity()));
            metrics.put("train_seconds", trained.fit().elapsedNanos() / 1e9);
            files.add(lossPlot(run, metrics));

            try (Ema.Swap swap = trained.ema().swapIn()) {
                files.add(ddpm.saveModel(run.root()).resolve(io.gen4j.core.io.ModelStore.SPEC_FILE));
                try (NDManager scope = manager.newSubManager()) {
                    SamplerResult r = ddpm.sample(scope, DdimSampler.deterministic(),
                            TimeGrid.spaced(schedule.steps(), config.mainSamplerSteps(),
                                    Spacing.LINSPACE),
                            config.sampleGrid(), false);
                    Path grid = run.image("samples_ema.png");
                    ImageGrid.writePng(r.samples(), PixelRange.MINUS_ONE_ONE,
                            (int) Math.ceil(Math.sqrt(config.sampleGrid())), 2, grid);
                    files.add(grid);
                    run.appendReport("Samples (EMA weights)", config.sampleGrid()
                            + " samples, DDIM η = 0, " + config.mainSamplerSteps() + " steps, "
                            + String.format("%.1f s", r.wallTime().toMillis() / 1e3) + ".");
                    run.appendImage("samples", grid);
                    int n = profile == Profile.SMOKE ? 8 : profile == Profile.GPU ? 1000 : 256;
                    SampleQuality.Result quality = SampleQuality.fid(ddpm.model(),
                            SampleOptions.defaults().withSteps(config.mainSamplerSteps()), data, n, options.seed(),
                            scope);
                    metrics.put("fid_cnn", quality.fid());
                    metrics.put("fid_cnn_floor", quality.floor());
                    run.appendReport("Sample quality", quality.summary() + "; EMA weights, DDIM η = 0, "
                            + config.mainSamplerSteps() + " steps, " + String.format("%.0f s", quality.seconds())
                            + ". The features are those of the in-project CNN classifier trained on the same "
                            + "training images (comparable between runs here, not with published Inception FIDs).");
                }
                files.add(trajectory(manager, ddpm, run));
                files.addAll(comparison(manager, ddpm, config, run, metrics));
                files.add(bound(manager, ddpm, data, config, run, metrics));
            }
        }
        String header = report.toString();
        String body = java.nio.file.Files.exists(run.reportFile())
                ? java.nio.file.Files.readString(run.reportFile())
                : "";
        run.writeReport(header + body);
        files.add(run.reportFile());
        return new TopicResult(run.root(), metrics, files);
    }

    private static Path forwardStrip(NDManager manager, DdpmRun ddpm, TopicData data,
            RunDirectory run, StringBuilder report) throws Exception {
        int rows = 6;
        int[] fractions = {0, 5, 10, 20, 30, 50, 70, 100};
        int steps = ddpm.schedule().steps();
        try (NDManager scope = manager.newSubManager()) {
            NDArray x0 = data.test().subset(0, rows).toNDArray(scope, PixelRange.MINUS_ONE_ONE);
            Ddpm process = Ddpm.simple(ddpm.diffusionModel(false, scope));
            NDList columns = new NDList();
            StringBuilder ts = new StringBuilder();
            for (int f : fractions) {
                int t = (int) Math.round(f / 100.0 * (steps - 1));
                int[] tt = new int[rows];
                Arrays.fill(tt, t);
                columns.add(process.qSample(x0, tt, scope.randomNormal(x0.getShape())));
                ts.append(ts.length() == 0 ? "" : ", ").append(t);
            }
            NDArray strip = NDArrays.stack(columns, 1).reshape(-1, x0.getShape().get(1),
                    x0.getShape().get(2), x0.getShape().get(3));
            Path file = run.image("forward_noising.png");
            ImageGrid.writePng(strip, PixelRange.MINUS_ONE_ONE, fractions.length, 2, file);
            run.appendReport("Forward process q(x_t | x_0)", "Each row is one test image at t = "
                    + ts + " (x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, sampled in closed form).");
            run.appendImage("forward noising", file);
            return file;
        }
    }

    private static Path schedulePlot(int steps, RunDirectory run, StringBuilder report)
            throws Exception {
        NoiseSchedule linear = NoiseSchedule.linear(steps);
        NoiseSchedule cosine = NoiseSchedule.cosine(steps);
        double[] t = new double[steps];
        for (int i = 0; i < steps; i++) {
            t[i] = i;
        }
        Path file = run.image("schedules_alpha_bar.png");
        Plots.line(List.of(new Series("linear ᾱ_t", t, linear.alphaBars()),
                new Series("cosine ᾱ_t", t, cosine.alphaBars())),
                PlotSpec.of("ᾱ_t: linear vs cosine").withLabels("t", "ᾱ_t"), false, file);
        Path betas = run.image("schedules_beta.png");
        Plots.line(List.of(new Series("linear β_t", t, linear.betas()),
                new Series("cosine β_t", t, cosine.betas())),
                PlotSpec.of("β_t: linear vs cosine").withLabels("t", "β_t"), true, betas);
        run.appendReport("Noise schedules", "Linear (Ho et al.) and cosine (Nichol & Dhariwal) "
                + "schedules for T = " + steps + ": ᾱ_T = " + String.format("%.2e", linear.alphaBar(steps - 1))
                + " (linear) and " + String.format("%.2e", cosine.alphaBar(steps - 1)) + " (cosine).");
        run.appendImage("alpha bar", file);
        run.appendImage("beta", betas);
        return file;
    }

    private static Path lossPlot(RunDirectory run, Map<String, Double> metrics) throws Exception {
        Path file = run.image("training_loss.png");
        TopicRun.metricCurve(run.metricsCsv(), "loss", PlotSpec.of("Training loss L_simple (ε-MSE)")
                .withLabels("step", "loss"), true, file);
        List<String> rows = java.nio.file.Files.readAllLines(run.metricsCsv());
        String[] header = rows.get(0).split(",");
        String[] last = rows.get(rows.size() - 1).split(",", -1);
        metrics.put("final_loss", Double.parseDouble(last[java.util.Arrays.asList(header).indexOf("loss")]));
        run.appendReport("Training", "L_simple per step (metrics.csv, every " + (rows.size() > 2
                ? Long.parseLong(rows.get(2).split(",")[0]) - Long.parseLong(rows.get(1).split(",")[0]) : 1)
                + " steps), final " + String.format("%.4f", metrics.get("final_loss")) + ".");
        run.appendImage("training loss", file);
        return file;
    }

    private static Path trajectory(NDManager manager, DdpmRun ddpm, RunDirectory run)
            throws Exception {
        int rows = 6;
        int steps = Math.min(20, ddpm.schedule().steps());
        try (NDManager scope = manager.newSubManager()) {
            SamplerResult r = ddpm.sample(scope, DdimSampler.deterministic(),
                    TimeGrid.spaced(ddpm.schedule().steps(), steps, Spacing.LINSPACE), rows, true);
            List<NDArray> states = r.trajectory();
            NDList picked = new NDList();
            int columns = 8;
            for (int j = 0; j < columns; j++) {
                picked.add(states.get((int) Math.round(j * (states.size() - 1) / (columns - 1.0))));
            }
            NDArray first = picked.get(0);
            NDArray grid = NDArrays.stack(picked, 1).reshape(-1, first.getShape().get(1),
                    first.getShape().get(2), first.getShape().get(3));
            Path file = run.image("denoising_trajectory.png");
            ImageGrid.writePng(grid, PixelRange.MINUS_ONE_ONE, columns, 2, file);
            run.appendReport("Denoising trajectory", "DDIM η = 0 with " + steps
                    + " steps; columns go from x_T (left) to x_0 (right).");
            run.appendImage("trajectory", file);
            return file;
        }
    }

    private static List<Path> comparison(NDManager manager, DdpmRun ddpm, DdpmRunConfig config,
            RunDirectory run, Map<String, Double> metrics) throws Exception {
        List<Path> files = new ArrayList<>();
        StringBuilder table = new StringBuilder(
                "Same start noise for every grid. Wall time of the whole sampling run for "
                        + config.comparisonGrid() + " images.\n\n"
                        + "| steps | DDPM (ancestral, σ² = β̃) | DDIM (η = 0) |\n|---|---|---|\n");
        int steps = ddpm.schedule().steps();
        int n = config.comparisonGrid();
        int cols = (int) Math.ceil(Math.sqrt(n));
        try (NDManager scope = manager.newSubManager()) {
            long[] shape = ddpm.model().spec().data().shape();
            NDArray xT = scope.randomNormal(new ai.djl.ndarray.types.Shape(n, shape[0], shape[1], shape[2]));
            for (int k : config.comparisonSteps()) {
                TimeGrid grid = k == steps ? TimeGrid.full(steps)
                        : TimeGrid.spaced(steps, k, Spacing.LINSPACE);
                table.append("| ").append(k);
                for (Sampler sampler : List.of(new DdpmSampler(DdpmVariance.FIXED_SMALL),
                        DdimSampler.deterministic())) {
                    String name = sampler instanceof DdpmSampler ? "ddpm" : "ddim";
                    try (NDManager inner = scope.newSubManager()) {
                        SamplerResult r = sampler.sample(ddpm.diffusionModel(true, inner), xT, grid,
                                Condition.none(), false);
                        Path file = run.image(name + "_" + k + "_steps.png");
                        ImageGrid.writePng(r.samples(), PixelRange.MINUS_ONE_ONE, cols, 2, file);
                        files.add(file);
                        double seconds = r.wallTime().toMillis() / 1e3;
                        metrics.put(name + "_" + k + "_seconds", seconds);
                        table.append(" | ").append(String.format("%.1f s, ![](%s)", seconds,
                                "images/" + file.getFileName()));
                    }
                }
                table.append(" |\n");
            }
        }
        run.appendReport("DDPM vs DDIM", table.toString());
        return files;
    }

    private static Path bound(NDManager manager, DdpmRun ddpm, TopicData data,
            DdpmRunConfig config, RunDirectory run, Map<String, Double> metrics) throws Exception {
        try (NDManager scope = manager.newSubManager()) {
            int n = Math.min(config.vlbImages(), data.test().size());
            NDArray x0 = data.test().subset(0, n).toNDArray(scope, PixelRange.MINUS_ONE_ONE);
            Ddpm process = Ddpm.simple(ddpm.diffusionModel(false, scope));
            VariationalBound small = process.variationalBound(x0, Condition.none(),
                    DdpmVariance.FIXED_SMALL, config.vlbStride());
            VariationalBound large = process.variationalBound(x0, Condition.none(),
                    DdpmVariance.FIXED_LARGE, config.vlbStride());
            metrics.put("vlb_bits_per_dim_small", small.bitsPerDim());
            metrics.put("vlb_bits_per_dim_large", large.bitsPerDim());
            double[] terms = small.termBitsPerDim();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int t = 1; t < terms.length; t++) {
                if (Double.isFinite(terms[t]) && terms[t] > 0) {
                    xs.add((double) t);
                    ys.add(terms[t]);
                }
            }
            Path file = run.image("vlb_terms.png");
            Plots.line(List.of(new Series("L_t (bits/dim)",
                    xs.stream().mapToDouble(Double::doubleValue).toArray(),
                    ys.stream().mapToDouble(Double::doubleValue).toArray())),
                    PlotSpec.of("Variational bound: KL term per step").withLabels("t", "bits/dim"),
                    true, file);
            run.appendReport("Variational bound", String.format(
                    "On %d test images (EMA weights, %s): **%.3f bits/dim** with σ² = β̃ and "
                            + "%.3f bits/dim with σ² = β (prior L_T %.2e, decoder L_0 %.3f bits/dim)."
                            + " The network was trained on L_simple, not on the bound: the bound is "
                            + "dominated by the small-t terms that L_simple down-weights.",
                    n, small.stride() == 1 ? "every step" : "stratified estimate, stride " + small.stride(),
                    small.bitsPerDim(), large.bitsPerDim(), small.priorBitsPerDim(),
                    small.decoderBitsPerDim()));
            run.appendImage("bound terms", file);
            return file;
        }
    }
}
