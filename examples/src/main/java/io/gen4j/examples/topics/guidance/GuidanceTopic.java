package io.gen4j.examples.topics.guidance;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.Condition;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.viz.Plots;
import io.gen4j.core.viz.Series;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.DdpmModel;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.diffusion.distill.DistillationPreset;
import io.gen4j.diffusion.distill.ProgressiveDistillation;
import io.gen4j.diffusion.guidance.ClassifierFreeGuidance;
import io.gen4j.diffusion.guidance.GuidancePreset;
import io.gen4j.diffusion.guidance.NullCondition;
import io.gen4j.diffusion.sampling.DpmSolverPlusPlusSampler;
import io.gen4j.diffusion.sampling.KarrasEulerSampler;
import io.gen4j.diffusion.sampling.KarrasHeunSampler;
import io.gen4j.diffusion.sampling.KarrasSigmas;
import io.gen4j.diffusion.sampling.SigmaSchedule;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.SampleQuality;
import io.gen4j.examples.topics.Topic;
import io.gen4j.examples.topics.TopicData;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicResult;
import io.gen4j.examples.topics.TopicRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Course topic 11-07, guidance, fast sampling and evaluation, on FashionMNIST: a class-conditional
 * DDPM (v-prediction, label dropout) whose classifier-free guidance scale is swept with FID, IS,
 * KID, precision, recall, density, coverage and class accuracy per scale; DDIM, Euler, Heun and
 * DPM-Solver++(2M) against the number of network evaluations; three halvings of progressive
 * distillation with the FID of each student. Every measurement also goes to {@code quality.csv}; the
 * trained model (EMA weights) is saved in {@code model/} (family {@code ddpm}) for {@code gen4j
 * sample}. Course text: docs/topics/11-07-guidance-sampling-evaluation.md.
 */
public final class GuidanceTopic implements Topic {

    private static final Logger LOG = LoggerFactory.getLogger(GuidanceTopic.class);

    /**
     * The sizes of one profile: the model, its training and the distillation students are gen-diffusion's
     * public {@link GuidancePreset} ({@link GuidancePreset#classes28()} at the cpu profile, {@link
     * GuidancePreset#classes28Long()} at the gpu profile); the rest is what this topic's run measures. The
     * accessors below read the preset.
     *
     * @param trainSize training images kept (0 = all)
     * @param testSize test images kept (0 = all)
     * @param preset the conditional DDPM, its training and the distillation students
     * @param samples samples per measurement
     * @param guidanceSteps DDIM steps of the guidance sweep
     * @param scales guidance scales w
     * @param levels step counts of the sampler comparison
     */
    public record Settings(int trainSize, int testSize, GuidancePreset preset, int samples, int guidanceSteps,
            double[] scales, int[] levels) {
        /**
         * @param profile the profile
         * @return its sizes
         */
        public static Settings of(Profile profile) {
            double[] scales = {0, 1, 2, 4, 8};
            return switch (profile) {
                case SMOKE -> new Settings(512, 200, new GuidancePreset(8, 100, 0.2, GuidancePreset.recipe(6, 16, 2e-3),
                        0.995, DistillationPreset.of(8, 3, 3, 16, 1e-4)), 20, 4, scales, new int[] {2, 4});
                case CPU -> new Settings(0, 2000, GuidancePreset.classes28(), 200, 10, scales, new int[] {2, 4, 8});
                case GPU -> new Settings(0, 0, GuidancePreset.classes28Long(), 10_000, 50, scales,
                        new int[] {4, 8, 16, 32, 64});
            };
        }

        /** @return U-Net width of level 0 (levels ×1, ×2) */
        public int baseChannels() {
            return preset.baseChannels();
        }

        /** @return T of the cosine schedule */
        public int diffusionSteps() {
            return preset.diffusionSteps();
        }

        /** @return batch size (the DDPM's and the students') */
        public int batch() {
            return preset.training().batchSize();
        }

        /** @return steps of the conditional DDPM */
        public int trainSteps() {
            return Math.toIntExact(preset.training().steps());
        }

        /** @return probability of dropping a label (classifier-free guidance) */
        public double labelDropout() {
            return preset.labelDropout();
        }

        /** @return DDIM steps of the first teacher (even, halved per round) */
        public int teacherSteps() {
            return preset.distillation().teacherSteps();
        }

        /** @return rounds of distillation */
        public int halvings() {
            return preset.distillation().rounds();
        }

        /** @return training steps per round */
        public int distillSteps() {
            return Math.toIntExact(preset.distillation().training().steps());
        }

        /** @return learning rate of the students */
        public double distillRate() {
            return preset.distillation().training().learningRate();
        }
    }

    @Override
    public String id() {
        return "11-07";
    }

    @Override
    public String title() {
        return "Guidance, fast samplers, distillation and sample-quality metrics";
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        Settings s = Settings.of(options.profile());
        long seed = options.seed();
        TopicData data = TopicData.load(DatasetId.FASHION_MNIST, DatasetId.MNIST, options.dataPath())
                .subset(s.trainSize(), s.testSize());
        TopicRun run = TopicRun.open(options, "11-07-guidance", s);
        RunDirectory dir = run.directory();
        LOG.info("11-07: run directory {}", dir.root());
        int k = data.train().numClasses();
        NoiseSchedule schedule = s.preset().schedule();
        UNetConfig config = s.preset().unet(data.train().channels(), k);
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        files.add(dir.configFile());
        StringBuilder report = new StringBuilder();
        report.append("# 11-07 Guidance, fast samplers, distillation — run report\n\nProfile `")
                .append(options.profile().name().toLowerCase(Locale.ROOT)).append("`, seed ").append(seed).append(". ")
                .append(data.note()).append(" Course text: docs/topics/11-07-guidance-sampling-evaluation.md.\n\n");
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager manager = NDManager.newBaseManager();
                CnnFeatureExtractor cnn = SampleQuality.referenceClassifier(data, manager)) {
            long[] shape = {data.train().channels(), data.train().height(), data.train().width()};
            Engine.getInstance().setRandomSeed((int) seed);
            UNet unet = newUnet(config, manager, shape);
            NullCondition nullLabel = NullCondition.label(k);
            // the preset's v-prediction loss with label dropout, AdamW (warm-up + cosine), clip and EMA
            ObjectiveStep step = s.preset().step(s.preset().objective(unet, k)).optName("ddpm").build();
            long t0 = System.nanoTime();
            run.fit("ddpm", step, data.train().batches(s.batch(), seed, true, PixelRange.MINUS_ONE_ONE), manager,
                    s.trainSteps(), seed, dir.metricsCsv(), options.listeners());
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            metrics.put("ddpm.train_seconds", trainSeconds);
            Path loss = dir.image("training_loss.png");
            TopicRun.metricCurve(dir.metricsCsv(), "loss", PlotSpec.of("Conditional DDPM: v-prediction loss")
                    .withLabels("step", "loss"), true, loss);
            files.add(loss);
            report.append(String.format(Locale.ROOT, "Conditional DDPM: U-Net %d/%d channels, %d parameters, cosine "
                    + "schedule T = %d, v-prediction, label dropout p = %.2f (null label %d), batch %d, %d steps "
                    + "(%.0f s), EMA 0.995.\n\n![loss](images/training_loss.png)\n\n", s.baseChannels(),
                    2 * s.baseChannels(), unet.parameterCount(), s.diffusionSteps(), s.labelDropout(), k, s.batch(),
                    s.trainSteps(), trainSeconds));

            try (Ema.Swap swap = step.ema().swapIn()) {
                Path saved = ModelStore.save(new DdpmModel(s.preset().spec((int) shape[0], (int) shape[1],
                        (int) shape[2], k), unet), dir.root().resolve("model"));
                files.add(saved);
                report.append("The EMA model is saved in `model/` (family `ddpm`); sample it with guidance, e.g. `gen4j "
                        + "sample --run <this run> --guidance 2 --class all --sampler dpmpp-2m --steps 8`.\n\n");
                GuidanceQuality quality = new GuidanceQuality(data.train(), data.test(), cnn, s.samples(), seed + 1,
                        manager);
                report.append(String.format(Locale.ROOT, "Every measurement: %d samples (labels cycling through the %d "
                        + "classes, the same start noise for every row), against %d test images in the features of "
                        + "the in-project CNN classifier (%s). Real-vs-real FID floor at this N: %.2f.%n%n",
                        s.samples(), k, quality.reference(), cnn.info().metricName("FID"), quality.floor()));
                metrics.put("fid_floor", quality.floor());
                DiffusionModel conditional = new DiffusionModel(unet.denoiser(new ParameterStore(manager, false),
                        false), schedule, Prediction.VELOCITY);
                StringBuilder csv = new StringBuilder("section,method,scale,levels," + GuidanceQuality.Result.CSV_HEADER
                        + "\n");
                guidanceSweep(s, conditional.withClipX0(1), nullLabel, quality, manager, dir, report, metrics, files,
                        csv);
                List<Series> series = new ArrayList<>();
                List<Row> rows = new ArrayList<>();
                samplerComparison(s, conditional.withClipX0(1), quality, manager, report, metrics, series, rows);
                distillation(s, config, unet, conditional, data, run, options, seed, quality, manager, report,
                        metrics, files, shape, series, rows);
                speedQuality(rows, series, dir, report, files);
                for (Row r : rows) {
                    csv.append(r.section()).append(",\"").append(r.method()).append("\",1,").append(r.levels()).append(',')
                            .append(r.result().csv()).append('\n');
                }
                Path table = Files.writeString(dir.root().resolve("quality.csv"), csv.toString());
                files.add(table);
                report.append("\nEvery measurement of this report: `quality.csv`.\n");
            }
        }
        dir.writeReport(report.toString());
        files.add(dir.reportFile());
        return new TopicResult(dir.root(), metrics, files);
    }

    private static UNet newUnet(UNetConfig config, NDManager manager, long[] shape) {
        UNet unet = new UNet(config);
        unet.initialize(manager, DataType.FLOAT32, new Shape(2, shape[0], shape[1], shape[2]), new Shape(2),
                new Shape(2));
        return unet;
    }

    private static void guidanceSweep(Settings s, DiffusionModel model, NullCondition nullLabel,
            GuidanceQuality quality, NDManager manager, RunDirectory dir, StringBuilder report,
            Map<String, Double> metrics, List<Path> files, StringBuilder csv) throws Exception {
        TimeGrid grid = TimeGrid.spaced(s.diffusionSteps(), s.guidanceSteps(), Spacing.TRAILING);
        report.append("## Classifier-free guidance sweep\n\nDDIM η = 0, ").append(s.guidanceSteps())
                .append(" trailing steps; guided ε̂ = ε_∅ + w (ε_c − ε_∅) in one batched forward (2 evaluations "
                        + "per step). KID: the raw MMD² of the CNN features (no 10⁻³ scaling).\n\n| w | FID | KID (raw) | IS | precision | recall | density | "
                        + "coverage | class accuracy | sampling (s) |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (double w : s.scales()) {
            DiffusionModel guided = ClassifierFreeGuidance.guide(model, w, 0, nullLabel);
            GuidanceQuality.Result r = quality.measure(guided, DdimSampler.deterministic(), grid, manager);
            report.append(String.format(Locale.ROOT, "| %.0f | %.2f | %.2f ± %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | "
                    + "%.3f | %.0f |%n", w, r.fid(), r.kid(), r.kidStd(), r.inceptionScore(), r.precision(),
                    r.recall(), r.density(), r.coverage(), r.accuracy(), r.seconds()));
            csv.append(String.format(Locale.ROOT, "guidance,DDIM,%s,%d,", w, grid.size())).append(r.csv()).append('\n');
            String key = String.format(Locale.ROOT, "cfg.w%.0f.", w);
            metrics.put(key + "fid", r.fid());
            metrics.put(key + "is", r.inceptionScore());
            metrics.put(key + "precision", r.precision());
            metrics.put(key + "recall", r.recall());
            metrics.put(key + "accuracy", r.accuracy());
            metrics.put(key + "kid", r.kid());
            metrics.put(key + "density", r.density());
            metrics.put(key + "coverage", r.coverage());
            Path file = dir.image(String.format(Locale.ROOT, "cfg_w%.0f.png", w));
            classGrid(guided, DdimSampler.deterministic(), grid, manager, file, 10, s.samples() < 100 ? 2 : 3);
            files.add(file);
        }
        report.append("\nOne row per class, w = ");
        for (double w : s.scales()) {
            report.append(String.format(Locale.ROOT, "%.0f ![w%.0f](images/cfg_w%.0f.png) ", w, w, w));
        }
        report.append("\n\n");
    }

    /** Rows of one class each (the same noise in every grid of the topic). */
    private static void classGrid(DiffusionModel model, Sampler sampler, TimeGrid grid, NDManager manager, Path file,
            int classes, int perClass) throws Exception {
        try (NDManager scope = manager.newSubManager()) {
            Engine.getInstance().setRandomSeed(4321);
            int[] y = new int[classes * perClass];
            for (int i = 0; i < y.length; i++) {
                y[i] = i / perClass;
            }
            NDArray xT = scope.randomNormal(new Shape(y.length, 1, 28, 28));
            SamplerResult r = sampler.sample(model, xT, grid, Condition.labels(scope.create(y)), false);
            ImageGrid.writePng(r.samples(), PixelRange.MINUS_ONE_ONE, perClass, 2, file);
        }
    }

    /** One line of the speed–quality table: its section (samplers or distillation), method and levels. */
    private record Row(String section, String method, int levels, int nfe, GuidanceQuality.Result result) {}

    private static void samplerComparison(Settings s, DiffusionModel model, GuidanceQuality quality,
            NDManager manager, StringBuilder report, Map<String, Double> metrics, List<Series> series,
            List<Row> rows) {
        int steps = s.diffusionSteps();
        report.append(String.format(Locale.ROOT, "## Samplers: FID against network evaluations%n%nThe conditional "
                + "model without guidance (w = 1). DDIM η = 0 on trailing steps. Euler, Heun and DPM-Solver++(2M) "
                + "\"Karras\": Karras et al.'s σ levels (ρ = 7) from σ_max = %.0f to σ_min = %.3f clamped to the trained "
                + "range [σ(0), σ(T−1)] = [%.4f, %.0f]; \"trailing\": the σ of DDIM's trailing steps with the first "
                + "capped at %.0f. NFE: network evaluations per sample (Heun: 2n − 1 for n noise levels). KID: the "
                + "raw MMD² of the CNN features (no 10⁻³ scaling).%n%n| sampler | levels | NFE | FID | KID (raw) | precision | recall | density | coverage | "
                + "class accuracy |%n|---|---|---|---|---|---|---|---|---|---|%n", KarrasSigmas.DEFAULT_SIGMA_MAX,
                KarrasSigmas.DEFAULT_SIGMA_MIN, model.schedule().sigma(0), model.schedule().sigma(steps - 1),
                KarrasSigmas.DEFAULT_SIGMA_MAX));
        String[] names = {"DDIM", "Euler (Karras)", "Heun (Karras)", "DPM-Solver++(2M) (Karras)", "Heun (trailing)",
            "DPM-Solver++(2M) (trailing)"};
        SigmaSchedule trailing = SigmaSchedule.grid(KarrasSigmas.DEFAULT_SIGMA_MAX);
        Sampler[] samplers = {DdimSampler.deterministic(), KarrasEulerSampler.karras(), KarrasHeunSampler.karras(),
            DpmSolverPlusPlusSampler.karras(), new KarrasHeunSampler(trailing), new DpmSolverPlusPlusSampler(trailing)};
        for (int i = 0; i < samplers.length; i++) {
            double[] x = new double[s.levels().length];
            double[] y = new double[s.levels().length];
            for (int j = 0; j < s.levels().length; j++) {
                int n = s.levels()[j];
                // Heun spends 2n − 1 evaluations: give it about as many as the others by halving its levels
                int levels = samplers[i] instanceof KarrasHeunSampler ? Math.max(2, n / 2 + 1) : n;
                TimeGrid grid = names[i].contains("Karras") ? TimeGrid.spaced(steps, levels, Spacing.LINSPACE)
                        : TimeGrid.spaced(steps, levels, Spacing.TRAILING);
                GuidanceQuality.Result r = quality.measure(model, samplers[i], grid, manager);
                x[j] = r.nfe();
                y[j] = r.fid();
                report.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f | "
                        + "%.3f |%n", names[i], levels, r.nfe(), r.fid(), r.kid(), r.precision(), r.recall(),
                        r.density(), r.coverage(), r.accuracy()));
                String slug = names[i].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9+]+", "-").replaceAll("-$", "");
                metrics.put(String.format(Locale.ROOT, "nfe.%s.%d.fid", slug, r.nfe()), r.fid());
                metrics.put(String.format(Locale.ROOT, "nfe.%s.%d.kid", slug, r.nfe()), r.kid());
                rows.add(new Row("samplers", names[i], levels, r.nfe(), r));
            }
            series.add(new Series(names[i], x, y));
        }
        report.append("\n");
    }

    private static void distillation(Settings s, UNetConfig config, UNet teacherNet, DiffusionModel conditional,
            TopicData data, TopicRun run, TopicOptions options, long seed, GuidanceQuality quality,
            NDManager manager, StringBuilder report, Map<String, Double> metrics, List<Path> files, long[] shape,
            List<Series> series, List<Row> rows) throws Exception {
        RunDirectory dir = run.directory();
        TimeGrid grid = s.preset().distillation().teacherGrid(s.diffusionSteps());
        report.append("## Progressive distillation\n\nTeacher: the conditional model (EMA weights) with DDIM on ")
                .append(s.teacherSteps()).append(" trailing steps. Each round a v-prediction student starts as a copy of "
                        + "its teacher and learns one DDIM step = two teacher DDIM steps (Salimans & Ho 2022), ")
                .append(s.distillSteps()).append(" steps of batch ").append(s.batch()).append(", AdamW ")
                .append(s.distillRate()).append(". Each row: the student with DDIM on its own grid, next to the "
                        + "original model with DDIM on the same grid (same NFE).\n\n"
                        + "| round | NFE | student FID | undistilled FID | student KID (raw MMD²) | student precision | student recall "
                        + "| student density | student coverage | student accuracy | training (s) |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        GuidanceQuality.Result teacherResult = quality.measure(conditional.withClipX0(1), DdimSampler.deterministic(),
                grid, manager);
        report.append(String.format(Locale.ROOT, "| teacher | %d | %.2f | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f "
                + "| – |%n", grid.size(), teacherResult.fid(), teacherResult.fid(), teacherResult.kid(),
                teacherResult.precision(), teacherResult.recall(), teacherResult.density(), teacherResult.coverage(),
                teacherResult.accuracy()));
        rows.add(new Row("distillation", "teacher (DDIM)", grid.size(), grid.size(), teacherResult));
        UNet teacher = teacherNet;
        double[] x = new double[s.halvings()];
        double[] y = new double[s.halvings()];
        for (int round = 1; round <= s.halvings(); round++) {
            UNet student = newUnet(config, manager, shape);
            ProgressiveDistillation.initialiseFrom(teacher, student);
            DiffusionModel teacherModel = new DiffusionModel(teacher.denoiser(new ParameterStore(manager, false), false),
                    conditional.schedule(), Prediction.VELOCITY);
            // AdamW at the preset's constant rate, clip 1
            ObjectiveStep step = s.preset().distillation()
                    .step(new ProgressiveDistillation<>(student, teacherModel, grid, true)).optName("student").build();
            String name = "student-" + grid.size() / 2;
            long t0 = System.nanoTime();
            run.fit(name, step, data.train().batches(s.batch(), seed + round, true, PixelRange.MINUS_ONE_ONE), manager,
                    s.distillSteps(), seed + round, dir.root().resolve("training").resolve(name + ".csv"),
                    options.listeners());
            double seconds = (System.nanoTime() - t0) / 1e9;
            grid = ProgressiveDistillation.halve(grid);
            DiffusionModel studentModel = new DiffusionModel(student.denoiser(new ParameterStore(manager, false), false),
                    conditional.schedule(), Prediction.VELOCITY).withClipX0(1);
            GuidanceQuality.Result r = quality.measure(studentModel, DdimSampler.deterministic(), grid, manager);
            GuidanceQuality.Result base = quality.measure(conditional.withClipX0(1), DdimSampler.deterministic(), grid,
                    manager);
            report.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f "
                    + "| %.0f |%n", round, grid.size(), r.fid(), base.fid(), r.kid(), r.precision(), r.recall(),
                    r.density(), r.coverage(), r.accuracy(), seconds));
            metrics.put("distill.round" + round + ".nfe", (double) grid.size());
            metrics.put("distill.round" + round + ".fid", r.fid());
            metrics.put("distill.round" + round + ".undistilled_fid", base.fid());
            x[round - 1] = grid.size();
            y[round - 1] = r.fid();
            rows.add(new Row("distillation", "distilled student, round " + round + " (DDIM)", grid.size(), grid.size(),
                    r));
            Path file = dir.image(name + ".png");
            classGrid(studentModel, DdimSampler.deterministic(), grid, manager, file, 10, s.samples() < 100 ? 2 : 3);
            files.add(file);
            teacher = student;
        }
        report.append("\nStudents (one row per class): ");
        for (int n = s.teacherSteps() / 2, r = 0; r < s.halvings(); r++, n /= 2) {
            report.append(String.format(Locale.ROOT, "%d steps ![student](images/student-%d.png) ", n, n));
        }
        report.append("\n\n");
        series.add(new Series("distilled students (DDIM)", x, y));
    }

    /** One plot and one table of FID (and precision, recall) against NFE for every sampler and student. */
    private static void speedQuality(List<Row> rows, List<Series> series, RunDirectory dir, StringBuilder report,
            List<Path> files) throws Exception {
        Path plot = dir.image("fid_vs_nfe.png");
        Plots.line(series, PlotSpec.of("FID vs network evaluations").withLabels("NFE", "FID"), true, plot);
        files.add(plot);
        report.append("## Speed and quality\n\n| NFE | method | FID | KID (raw MMD²) | precision | recall | density | coverage "
                + "| class accuracy |\n|---|---|---|---|---|---|---|---|---|\n");
        rows.stream().filter(r -> !r.method().startsWith("teacher")).sorted(java.util.Comparator.comparingInt(Row::nfe))
                .forEach(r -> report.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.3f | %.3f | %.3f | "
                        + "%.3f | %.3f |%n", r.nfe(), r.method(), r.result().fid(), r.result().kid(),
                        r.result().precision(), r.result().recall(), r.result().density(), r.result().coverage(),
                        r.result().accuracy())));
        report.append("\n![FID vs NFE](images/fid_vs_nfe.png)\n\nFID against NFE for every sampler and the distilled "
                + "students (log y).\n");
    }
}
