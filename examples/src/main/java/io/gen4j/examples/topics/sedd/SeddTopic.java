package io.gen4j.examples.topics.sedd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.viz.Plots;
import io.gen4j.core.viz.Series;
import io.gen4j.diffusion.discrete.AbsorbingProcess;
import io.gen4j.diffusion.discrete.AnalyticSampler;
import io.gen4j.diffusion.discrete.AutoregressiveTransformerModel;
import io.gen4j.diffusion.discrete.AutoregressiveTransformerSpec;
import io.gen4j.diffusion.discrete.DiscreteSampler;
import io.gen4j.diffusion.discrete.DiscreteSamplerResult;
import io.gen4j.diffusion.discrete.EulerSampler;
import io.gen4j.diffusion.discrete.KjvText;
import io.gen4j.diffusion.discrete.LogLinearNoise;
import io.gen4j.diffusion.discrete.MarkovLanguage;
import io.gen4j.diffusion.discrete.SamplerKind;
import io.gen4j.diffusion.discrete.SeddModel;
import io.gen4j.diffusion.discrete.SeddPreset;
import io.gen4j.diffusion.discrete.SeddSpec;
import io.gen4j.diffusion.discrete.TextCorpus;
import io.gen4j.diffusion.discrete.TokenCondition;
import io.gen4j.diffusion.discrete.TokenWindows;
import io.gen4j.diffusion.discrete.TransformerConfig;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.Topic;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicResult;
import io.gen4j.examples.topics.TopicRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Course topic 11-05, second part: discrete diffusion for text, SEDD (Lou, Meng &amp; Ermon 2024), on
 * the King James Bible at the character level, against an autoregressive transformer of the same
 * size trained on batches of the same shape for the same training time (the CPU time of the training
 * thread with one libtorch intra-op thread: the baseline trains until it has spent SEDD's, {@link
 * CpuBudget}); then both on a synthetic Markov language whose entropy
 * is known. SEDD uses the absorbing process with the normalised reading ({@link
 * AbsorbingProcess#normalized}) and no time input (docs/topics/11-05-sedd.md §9).
 *
 * <p>Writes: the training curves (bits per character), the SEDD bound and the baseline's exact
 * bits/char on the held-out end of the text, samples at 8/32/128 steps (analytic and Euler) and the
 * baseline's, infilling, the denoising trajectory of one sentence, both saved models (for {@code
 * gen4j sample}), and report.md.
 */
public final class SeddTopic implements Topic {

    /**
     * The sizes of a run, written to config.json.
     *
     * @param profile the profile
     * @param seed the seed
     * @param length characters per sequence L
     * @param width transformer width
     * @param depth layers
     * @param heads attention heads
     * @param batch sequences per step
     * @param steps training steps of SEDD (the baseline trains until it has spent the same CPU time)
     * @param learningRate peak Adam rate (cosine decay to a tenth)
     * @param testWindows held-out windows the bits/char are measured on
     * @param boundTimes times K of the SEDD bound
     * @param sampleSteps the SEDD step counts compared
     * @param markovSymbols alphabet of the synthetic language
     * @param markovLength its sequence length
     * @param markovWidth width of its models
     * @param markovSteps training steps of its SEDD (the baseline trains until it has spent the same CPU
     *     time)
     */
    record Settings(Profile profile, long seed, int length, int width, int depth, int heads, int batch, long steps,
            double learningRate, int testWindows, int boundTimes, int[] sampleSteps, int markovSymbols,
            int markovLength, int markovWidth, long markovSteps) {}

    static Settings settings(Profile profile, long seed) {
        return switch (profile) {
            case SMOKE -> new Settings(profile, seed, 32, 32, 1, 2, 4, 6, 1e-3, 4, 4, new int[] {2, 4, 8}, 4, 8, 16,
                    6);
            case CPU -> fromPreset(profile, seed, SeddPreset.characters("a"), 512, new int[] {8, 32, 128}, 8, 32, 32,
                    600);
            case GPU -> fromPreset(profile, seed, SeddPreset.charactersLong("a"), 1024, new int[] {8, 32, 128, 512}, 8,
                    64, 128, 10_000);
        };
    }

    private static Settings fromPreset(Profile profile, long seed, SeddPreset p, int testWindows, int[] sampleSteps,
            int markovSymbols, int markovLength, int markovWidth, long markovSteps) {
        TransformerConfig n = p.sedd().network();
        return new Settings(profile, seed, n.length(), n.width(), n.depth(), n.heads(), p.training().batchSize(),
                p.training().steps(), p.training().learningRate(), testWindows, p.sedd().likelihoodTimes(),
                sampleSteps, markovSymbols, markovLength, markovWidth, markovSteps);
    }

    /**
     * @param s the settings
     * @param alphabet the text's characters
     * @return the models and SEDD's training: the public preset of the profile ({@link
     *     SeddPreset#characters}, {@link SeddPreset#charactersLong}), a tiny one for the smoke profile
     */
    static SeddPreset preset(Settings s, String alphabet) {
        return switch (s.profile()) {
            case CPU -> SeddPreset.characters(alphabet);
            case GPU -> SeddPreset.charactersLong(alphabet);
            case SMOKE -> SeddPreset.of(alphabet, s.length(), s.width(), s.depth(), s.heads(), s.steps(), s.batch(),
                    s.learningRate());
        };
    }

    @Override
    public String id() {
        return "11-05-sedd";
    }

    @Override
    public String title() {
        return "Discrete diffusion for text: SEDD (score entropy) against an autoregressive transformer";
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        Settings s = settings(options.profile(), options.seed());
        Path textFile = KjvText.locate(options.dataPath());
        TextCorpus corpus = TextCorpus.read(textFile);
        TextCorpus[] split = corpus.split(0.9);
        String alphabet = corpus.alphabet().characters();
        TopicRun topicRun = TopicRun.open(options, "11-05-sedd", s);
        RunDirectory run = topicRun.directory();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        files.add(run.configFile());
        StringBuilder report = new StringBuilder();
        report.append("# 11-05 Discrete diffusion for text: SEDD\n\n")
                .append(String.format(Locale.ROOT, "Profile `%s`, seed %d. Text: `%s`, %,d characters, %d distinct; "
                        + "the first 90 %% for training, the last 10 %% (%,d characters) for testing. Both models are "
                        + "transformers of width %d, %d layers, %d heads over L = %d characters, trained on windows "
                        + "of %d with Adam (peak rate %.0e, cosine decay) for the same training time: SEDD %d steps, "
                        + "then the baseline until its training has spent the same CPU time (checked after every "
                        + "step); its learning-rate schedule is as long as the step count estimated from both step "
                        + "costs measured interleaved before training. Both train with one libtorch intra-op thread "
                        + "and the clock is that "
                        + "thread's CPU time (not wall time, and not the process's CPU time, which both depend on "
                        + "the load of a shared machine; wall times below are as measured).%n%n",
                        s.profile().name().toLowerCase(Locale.ROOT), s.seed(), textFile.getFileName(), corpus.size(),
                        corpus.alphabet().size(), split[1].size(), s.width(), s.depth(), s.heads(), s.length(),
                        s.batch(), s.learningRate(), s.steps()));
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) options.seed());
            SeddPreset preset = preset(s, alphabet);
            SeddSpec seddSpec = preset.sedd();
            SeddModel sedd = preset.createSedd(manager);
            AutoregressiveTransformerModel ar = preset.createBaseline(manager);
            int[] train = split[0].tokens();
            long[] steps = equalTimeSteps(topicRun, "kjv", seddSpec, ar.spec(), train, s.length(), s.batch(),
                    s.steps(), s.learningRate(), s, manager, metrics);
            FitResult seddFit = timedTraining(topicRun, "sedd", sedd.objective(preset.tMin()), train, s.length(),
                    s.batch(), steps[0], s.learningRate(), options.seed(), manager, metrics);
            FitResult arFit = budgetTraining(topicRun, "ar", "sedd", ar.objective(), train, s.length(), s.batch(),
                    steps[1], s.learningRate(), options.seed(), manager, metrics);
            steps[1] = arFit.endStep();
            metrics.put("kjv_ar_steps", (double) steps[1]);
            files.add(ModelStore.save(sedd, run.root().resolve("models").resolve("sedd")));
            files.add(ModelStore.save(ar, run.root().resolve("models").resolve("ar")));
            files.add(curves(topicRun, run));

            long[][] test = split[1].windows(s.length(), s.testWindows());
            double seddBits;
            double arBits;
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(flatten(test), new Shape(test.length, s.length()));
                seddBits = Likelihoods.meanBitsPerDim(sedd.logLikelihood(x).toDoubleArray(), s.length(), 1.0);
                arBits = Likelihoods.meanBitsPerDim(ar.logLikelihood(x).toDoubleArray(), s.length(), 1.0);
            }
            metrics.put("sedd_bound_bits_per_char", seddBits);
            metrics.put("ar_exact_bits_per_char", arBits);
            report.append("## Bits per character on the test text\n\n")
                    .append("| model | bits/char | kind | training steps | CPU s per step (calibration) | train CPU "
                            + "time (s) | train wall time (s) |\n|---|---|---|---|---|---|---|\n")
                    .append(String.format(Locale.ROOT, "| SEDD (absorbing, log-linear, normalised, no time input) | %.3f | upper bound (ELBO, K = "
                            + "%d times) | %d | %.3f | %.0f | %.0f |%n", seddBits, s.boundTimes(), steps[0],
                            metrics.get("kjv_sedd_cpu_seconds_per_step"), metrics.get("sedd_train_cpu_seconds"),
                            seddFit.elapsedNanos() / 1e9))
                    .append(String.format(Locale.ROOT, "| autoregressive transformer | %.3f | exact | %d | %.3f | %.0f "
                            + "| %.0f |%n%n", arBits, steps[1], metrics.get("kjv_ar_cpu_seconds_per_step"),
                            metrics.get("ar_train_cpu_seconds"), arFit.elapsedNanos() / 1e9))
                    .append(String.format(Locale.ROOT, "Training CPU time (training thread, one intra-op thread): "
                            + "baseline / SEDD = %.3f; the baseline's schedule was %d steps long (the calibrated "
                            + "estimate), its budget ended it at %d.%n%n", metrics.get("ar_train_cpu_seconds")
                            / metrics.get("sedd_train_cpu_seconds"), metrics.get("kjv_ar_schedule_steps").longValue(),
                            steps[1]))
                    .append(String.format(Locale.ROOT, "Measured on %d non-overlapping test windows of %d characters. "
                            + "A uniform guess costs log2(%d) = %.2f bits/char.%n%n![training curves](images/"
                            + "bits_per_char.png)%n%n", test.length, s.length(), corpus.alphabet().size(),
                            Likelihoods.bitsPerDim(Math.log(corpus.alphabet().size()), 1, 1.0)));

            report.append(samples(sedd, ar, s, manager, metrics, run, files));
            report.append(infill(sedd, ar, test[0], s, manager, run, files));
            report.append(trajectory(sedd, s, manager, run, files));
        }
        report.append(markov(s, topicRun, metrics, options.seed()));
        run.writeReport(report.toString());
        files.add(run.reportFile());
        return new TopicResult(run.root(), metrics, files);
    }

    /**
     * SEDD's step count and the length of the baseline's learning-rate schedule: the steps that
     * would spend SEDD's thread CPU time at the per-step costs measured interleaved on throwaway
     * copies ({@link StepCost}). Only the schedule uses this estimate; the baseline's actual step
     * count is set by the CPU budget ({@link #budgetTraining}). A resumed run reuses the costs saved
     * in its directory, so the schedule (and the checkpoints) stay valid.
     *
     * @return {SEDD steps, baseline schedule length}
     */
    private static long[] equalTimeSteps(TopicRun topicRun, String name, SeddSpec seddSpec,
            AutoregressiveTransformerSpec arSpec, int[] tokens, int length, int batch, long seddSteps, double rate,
            Settings s, NDManager manager, Map<String, Double> metrics) throws Exception {
        Path saved = topicRun.directory().root().resolve("step-cost-" + name + ".csv");
        double[] cost;
        if (topicRun.resumed() && Files.isRegularFile(saved)) {
            String[] cells = Files.readAllLines(saved).get(1).split(",");
            cost = new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[1])};
        } else {
            List<java.util.function.Function<NDManager, io.gen4j.core.train.TrainingStep>> makers = List.of(
                    m -> step(SeddModel.create(seddSpec, m).objective(1e-3), seddSteps, rate),
                    m -> step(AutoregressiveTransformerModel.create(arSpec, m).objective(), seddSteps, rate));
            cost = StepCost.withOneThread(() -> StepCost.measure(makers, new TokenWindows(tokens, length, batch,
                    s.seed() + 7), manager, s.profile() == Profile.SMOKE ? 1 : 5, s.profile() == Profile.SMOKE ? 2 : 30));
            Files.writeString(saved, String.format(Locale.ROOT, "sedd_cpu_seconds_per_step,ar_cpu_seconds_per_step%n"
                    + "%s,%s%n", cost[0], cost[1]));
        }
        long arSteps = StepCost.equalTimeSteps(seddSteps, cost[0], cost[1]);
        metrics.put(name + "_sedd_cpu_seconds_per_step", cost[0]);
        metrics.put(name + "_ar_cpu_seconds_per_step", cost[1]);
        metrics.put(name + "_sedd_steps", (double) seddSteps);
        metrics.put(name + "_ar_schedule_steps", (double) arSteps);
        return new long[] {seddSteps, arSteps};
    }

    private static ObjectiveStep step(Objective objective, long steps, double rate) {
        return ObjectiveStep.builder().setObjective(objective)
                .setOptimizer(Adam.factory(LearningRateSchedule.cosine(rate, rate / 10, Math.min(100, steps / 10),
                        steps), AdamConfig.defaults())).optClipNorm(1).build();
    }

    /**
     * Trains with one intra-op thread and records the training's wall time and the CPU time of the
     * training thread ({@link StepCost}); a resumed training's CPU time counts only the steps run now.
     */
    private static FitResult timedTraining(TopicRun topicRun, String name, Objective objective, int[] tokens,
            int length, int batch, long steps, double rate, long seed, NDManager manager, Map<String, Double> metrics)
            throws Exception {
        return StepCost.withOneThread(() -> {
            long cpu = StepCost.threadCpuNanos();
            ObjectiveStep step = step(objective, steps, rate);
            TokenWindows source = new TokenWindows(tokens, length, batch, seed + name.hashCode());
            FitResult fit = topicRun.fit(name, step, source, manager, steps, seed, metricsFile(topicRun, name),
                    List.of());
            long spent = StepCost.threadCpuNanos() - cpu;
            String key = name.replace('-', '_');
            Path record = topicRun.directory().root().resolve("train-cpu-" + name + ".csv");
            if (fit.startStep() == 0) {
                Files.writeString(record, "train_cpu_nanos\n" + spent + "\n");
            }
            metrics.put(key + "_train_cpu_seconds", spent / 1e9);
            metrics.put(key + "_train_seconds", fit.elapsedNanos() / 1e9);
            metrics.put(key + "_steps_run", (double) (steps - fit.startStep()));
            return fit;
        });
    }

    /**
     * Trains the baseline until the CPU time of its training thread (one intra-op thread, as for
     * SEDD) reaches the CPU time SEDD's training took ({@link CpuBudget}): equal training time by
     * construction. Its learning-rate schedule needs a length before the first step; it is the
     * calibrated estimate {@code scheduleSteps} ({@link StepCost}), and the rate stays at its floor
     * if the training runs past it. The steps reached are recorded, so {@code --resume} trains to
     * the same count. The budget is SEDD's CPU time recorded when it trained from step 0 (a SEDD
     * training resumed midway without that record extrapolates from the steps run now).
     */
    private static FitResult budgetTraining(TopicRun topicRun, String name, String reference, Objective objective,
            int[] tokens, int length, int batch, long scheduleSteps, double rate, long seed, NDManager manager,
            Map<String, Double> metrics) throws Exception {
        String ref = reference.replace('-', '_');
        Path refRecord = topicRun.directory().root().resolve("train-cpu-" + reference + ".csv");
        long budget;
        if (Files.isRegularFile(refRecord)) {
            budget = Long.parseLong(Files.readAllLines(refRecord).get(1).trim());
        } else {
            double run = metrics.get(ref + "_steps_run");
            String total = name.startsWith("markov") ? "markov_sedd_steps" : "kjv_sedd_steps";
            budget = Math.round(metrics.get(ref + "_train_cpu_seconds") * 1e9 * metrics.get(total) / Math.max(1, run));
        }
        return StepCost.withOneThread(() -> {
            long cpu = StepCost.threadCpuNanos();
            long wall = System.nanoTime();
            ObjectiveStep step = step(objective, scheduleSteps, rate);
            TokenWindows source = new TokenWindows(tokens, length, batch, seed + name.hashCode());
            CpuBudget.Outcome outcome = CpuBudget.train(topicRun, name, step, source, manager, 2 * scheduleSteps,
                    seed, metricsFile(topicRun, name), StepCost::threadCpuNanos, budget);
            long spent = StepCost.threadCpuNanos() - cpu;
            String key = name.replace('-', '_');
            metrics.put(key + "_train_cpu_seconds", spent / 1e9);
            metrics.put(key + "_budget_cpu_seconds", budget / 1e9);
            metrics.put(key + "_train_seconds", (System.nanoTime() - wall) / 1e9);
            metrics.put(key + "_steps_run", outcome.recorded() ? 0.0 : (double) outcome.steps());
            return new FitResult(0, outcome.steps(), Map.of(), System.nanoTime() - wall, java.util.Optional.empty());
        });
    }

    private static Path metricsFile(TopicRun topicRun, String name) {
        return topicRun.directory().root().resolve("metrics-" + name + ".csv");
    }

    private static Path curves(TopicRun topicRun, RunDirectory run) throws IOException {
        List<Series> series = new ArrayList<>();
        for (String[] m : new String[][] {{"sedd", "SEDD bound (train batch)"}, {"ar", "autoregressive NLL (train)"}}) {
            List<String> lines = Files.readAllLines(run.root().resolve("metrics-" + m[0] + ".csv"));
            List<String> header = Arrays.asList(lines.get(0).split(","));
            int col = header.indexOf("bitsPerToken");
            List<double[]> points = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (col < cells.length && !cells[col].isEmpty()) {
                    points.add(new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[col])});
                }
            }
            series.add(new Series(m[1], points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray()));
        }
        Path file = run.image("bits_per_char.png");
        Plots.line(series, PlotSpec.of("Training: bits per character").withLabels("step", "bits/char"), false, file);
        return file;
    }

    private static String samples(SeddModel sedd, AutoregressiveTransformerModel ar, Settings s, NDManager manager,
            Map<String, Double> metrics, RunDirectory run, List<Path> files) throws IOException {
        StringBuilder b = new StringBuilder("## Samples\n\nUnconditional samples of " + s.length()
                + " characters (newlines shown as ⏎).\n\n");
        List<String> labels = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (DiscreteSampler sampler : new DiscreteSampler[] {new AnalyticSampler(), new EulerSampler()}) {
            String name = sampler instanceof AnalyticSampler ? "analytic" : "Euler";
            for (int steps : s.sampleSteps()) {
                try (NDManager scope = manager.newSubManager()) {
                    long start = System.nanoTime();
                    DiscreteSamplerResult r = sedd.sample(scope, 3, steps, sampler, TokenCondition.none(), false);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    metrics.put("sedd_" + name.toLowerCase(Locale.ROOT) + "_" + steps + "_seconds", seconds);
                    b.append(String.format(Locale.ROOT, "**SEDD, %s sampler, %d steps** (%.1f s for 3):%n%n", name,
                            steps, seconds));
                    for (String text : sedd.decode(r.samples())) {
                        b.append("    ").append(text.replace("\n", "⏎")).append('\n');
                        labels.add(name + " " + steps);
                        lines.add(text);
                    }
                    b.append('\n');
                }
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            long start = System.nanoTime();
            NDArray x = ar.sample(scope, 3, 1.0, TokenCondition.none());
            double seconds = (System.nanoTime() - start) / 1e9;
            metrics.put("ar_sample_seconds", seconds);
            b.append(String.format(Locale.ROOT, "**Autoregressive transformer**, temperature 1 (%d steps, %.1f s for "
                    + "3):%n%n", s.length(), seconds));
            for (String text : ar.decode(x)) {
                b.append("    ").append(text.replace("\n", "⏎")).append('\n');
                labels.add("AR");
                lines.add(text);
            }
        }
        Path file = run.image("samples.png");
        TextFigure.write("Samples: SEDD (sampler, steps) and the autoregressive baseline", labels, lines, file);
        files.add(file);
        return b.append("\n![samples](images/samples.png)\n\n").toString();
    }

    private static String infill(SeddModel sedd, AutoregressiveTransformerModel ar, long[] window, Settings s,
            NDManager manager, RunDirectory run, List<Path> files) throws IOException {
        int keep = s.length() * 5 / 16;
        int[] given = new int[s.length()];
        for (int i = 0; i < given.length; i++) {
            given[i] = i < keep || i >= s.length() - keep ? (int) window[i] : -1;
        }
        List<String> labels = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        StringBuilder b = new StringBuilder("## Infilling\n\nA test window with its middle "
                + (s.length() - 2 * keep) + " characters removed (`_`). SEDD fills the gap conditioned on both sides "
                + "(analytic sampler, 64 steps, given characters held fixed); the autoregressive model can only "
                + "continue the left part.\n\n");
        try (NDManager scope = manager.newSubManager()) {
            TokenCondition condition = TokenCondition.of(scope, given);
            long[] shown = new long[s.length()];
            for (int i = 0; i < shown.length; i++) {
                shown[i] = given[i] < 0 ? Integer.MAX_VALUE : given[i];
            }
            String original = sedd.decode(scope.create(window))[0];
            String masked = sedd.decode(scope.create(shown))[0];
            labels.add("original");
            lines.add(original);
            labels.add("given");
            lines.add(masked);
            b.append("    original  ").append(original.replace("\n", "⏎")).append('\n')
                    .append("    given     ").append(masked.replace("\n", "⏎")).append('\n');
            DiscreteSamplerResult r = sedd.sample(scope, 3, 64, new AnalyticSampler(), condition, false);
            for (String text : sedd.decode(r.samples())) {
                b.append("    SEDD      ").append(text.replace("\n", "⏎")).append('\n');
                labels.add("SEDD");
                lines.add(text);
            }
            int[] prefix = Arrays.copyOf(given, keep);
            NDArray x = ar.sample(scope, 2, 1.0, TokenCondition.prefix(scope, prefix, s.length()));
            for (String text : ar.decode(x)) {
                b.append("    AR        ").append(text.replace("\n", "⏎")).append('\n');
                labels.add("AR prefix");
                lines.add(text);
            }
        }
        Path file = run.image("infilling.png");
        TextFigure.write("Infilling: the gap filled by SEDD; the AR model continues the left part", labels, lines,
                file);
        files.add(file);
        return b.append("\n![infilling](images/infilling.png)\n\n").toString();
    }

    private static String trajectory(SeddModel sedd, Settings s, NDManager manager, RunDirectory run,
            List<Path> files) throws IOException {
        int steps = 32;
        List<String> labels = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        StringBuilder b = new StringBuilder("## Denoising trajectory\n\nOne SEDD sample, analytic sampler, " + steps
                + " steps, from all masks (t = 1) to text (t = 0); every fourth step.\n\n");
        try (NDManager scope = manager.newSubManager()) {
            DiscreteSamplerResult r = sedd.sample(scope, 1, steps, new AnalyticSampler(), TokenCondition.none(), true);
            for (int k = 0; k <= steps; k += Math.max(1, steps / 8)) {
                String text = sedd.decode(r.trajectory().get(k))[0];
                String label = String.format(Locale.ROOT, "t=%.3f", 1 - (double) k / steps);
                labels.add(label);
                lines.add(text);
                b.append("    ").append(label).append("  ").append(text.replace("\n", "⏎")).append('\n');
            }
        }
        Path file = run.image("denoising_trajectory.png");
        TextFigure.write("SEDD denoising trajectory (grey: masked)", labels, lines, file);
        files.add(file);
        return b.append("\n![trajectory](images/denoising_trajectory.png)\n\n").toString();
    }

    private static String markov(Settings s, TopicRun topicRun, Map<String, Double> metrics, long seed)
            throws Exception {
        MarkovLanguage language = MarkovLanguage.randomSparse(s.markovSymbols(), 3, seed + 1);
        int length = s.markovLength();
        String alphabet = "abcdefghijklmnopqrstuvwxyz".substring(0, s.markovSymbols());
        double truth = Likelihoods.bitsPerDim(language.sequenceEntropy(length), length, 1.0);
        double seddBits;
        double arBits;
        long[] markovSteps;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed + 1);
            AbsorbingProcess process = AbsorbingProcess.normalized(s.markovSymbols());
            SeddModel sedd = SeddModel.create(new SeddSpec(new TransformerConfig(process.states(), process.states(),
                    length, s.markovWidth(), 2, 2, false, false), process, LogLinearNoise.complete(), alphabet,
                    DataSpec.vector(length), new SeddSpec.Sampling(64, SamplerKind.ANALYTIC), s.boundTimes()), manager);
            AutoregressiveTransformerModel ar = AutoregressiveTransformerModel.create(
                    AutoregressiveTransformerSpec.of(alphabet, length, s.markovWidth(), 2, 2), manager);
            int[] stream = language.stream(200_000, seed + 2);
            long[] steps = equalTimeSteps(topicRun, "markov", sedd.spec(), ar.spec(), stream, length, 32,
                    s.markovSteps(), 3e-3, s, manager, metrics);
            timedTraining(topicRun, "markov-sedd", sedd.objective(1e-3), stream, length, 32, steps[0], 3e-3, seed,
                    manager, metrics);
            steps[1] = budgetTraining(topicRun, "markov-ar", "markov-sedd", ar.objective(), stream, length, 32,
                    steps[1], 3e-3, seed, manager, metrics).endStep();
            metrics.put("markov_ar_steps", (double) steps[1]);
            markovSteps = steps;
            long[][] test = new TextCorpus(io.gen4j.diffusion.discrete.Alphabet.of(alphabet),
                    language.stream(512 * length, seed + 3)).windows(length, 512);
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(flatten(test), new Shape(test.length, length));
                seddBits = Likelihoods.meanBitsPerDim(sedd.logLikelihood(x).toDoubleArray(), length, 1.0);
                arBits = Likelihoods.meanBitsPerDim(ar.logLikelihood(x).toDoubleArray(), length, 1.0);
            }
        }
        metrics.put("markov_entropy_bits_per_token", truth);
        metrics.put("markov_sedd_bound_bits_per_token", seddBits);
        metrics.put("markov_ar_bits_per_token", arBits);
        return String.format(Locale.ROOT, "## A language of known entropy%n%nA random sparse Markov chain over %d "
                + "symbols (3 successors each), sequences of %d symbols from its stationary law: their entropy is "
                + "H(π) + (L − 1)·h = %.4f bits per symbol (entropy rate h = %.4f). Both models (width %d, 2 layers) "
                + "trained for the same CPU time: SEDD %d steps (%.1f s of training-thread CPU), then the "
                + "baseline until it had spent as much: %d steps (%.1f s):%n%n"
                + "| model | bits/symbol | gap to the entropy |%n|---|---|---|%n"
                + "| SEDD bound | %.4f | %+.4f |%n| autoregressive, exact | %.4f | %+.4f |%n%n"
                + "A bound cannot go below the entropy (up to its Monte Carlo error over 512 test sequences); the gap "
                + "is what the model has not learned plus, for SEDD, the looseness of the bound.%n", s.markovSymbols(),
                length, truth, Likelihoods.bitsPerDim(language.entropyRate(), 1, 1.0), s.markovWidth(), markovSteps[0],
                metrics.get("markov_sedd_train_cpu_seconds"), markovSteps[1], metrics.get("markov_ar_train_cpu_seconds"),
                seddBits,
                seddBits - truth, arBits, arBits - truth);
    }

    private static long[] flatten(long[][] rows) {
        long[] out = new long[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
        }
        return out;
    }
}
