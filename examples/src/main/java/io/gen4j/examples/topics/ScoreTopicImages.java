package io.gen4j.examples.topics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.ShuffledBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.score.ScorePresets;
import io.gen4j.score.flow.Coupling;
import io.gen4j.score.flow.FlowMatchingModel;
import io.gen4j.score.flow.FlowMatchingSpec;
import io.gen4j.score.flow.Reflow;
import io.gen4j.score.matching.NcsnModel;
import io.gen4j.score.matching.NcsnSpec;
import io.gen4j.score.ode.EulerSolver;
import io.gen4j.score.ode.OdeLikelihood;
import io.gen4j.score.ode.Rk4Solver;
import io.gen4j.score.ode.TraceEstimator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The image half of topic 11-09: a flow-matching U-Net (1-rectified flow) on FashionMNIST, its
 * bits/dim through the ODE (Hutchinson), reflow to a 2-rectified flow, and FID vs Euler steps for both;
 * then an NCSN with the same U-Net: FID of annealed Langevin and of the VE predictor–corrector sampler,
 * bits/dim through the VE PF-ODE, a sample grid.
 */
final class ScoreTopicImages {

    private ScoreTopicImages() {}

    /**
     * Sizes of the image run: the models and their training are gen-score's presets ({@link
     * ScorePresets#flowMatchingFashionMnist()}, {@link ScorePresets#ncsnFashionMnist()} at the CPU
     * profile).
     *
     * @param fm the flow-matching model (its spec's RK4 steps are the bits/dim's), its training and reflow
     * @param ncsn the noise-conditional score model and its training
     * @param couplingSteps Euler steps that generate the reflow coupling
     * @param bpdImages test images of the bits/dim
     * @param fidSamples samples per FID
     * @param fidSteps the Euler steps at which FID is measured
     */
    record Settings(ScorePresets.FlowMatchingPreset fm, ScorePresets.NcsnPreset ncsn, int couplingSteps, int bpdImages,
            int fidSamples, int[] fidSteps) {}

    static String run(TopicOptions options, Settings s, TopicRun topicRun, long seed, Map<String, Double> metrics,
            List<Path> files) throws IOException {
        RunDirectory run = topicRun.directory();
        TopicData data = TopicData.load(DatasetId.FASHION_MNIST, DatasetId.MNIST, options.dataPath());
        StringBuilder report = new StringBuilder();
        report.append(data.note() == null ? "" : data.note() + "\n\n");
        DataSpec spec = DataSpec.image(data.train().channels(), data.train().height(), data.train().width(),
                PixelRange.MINUS_ONE_ONE);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed);
            FlowMatchingSpec fs = s.fm().spec();
            FlowMatchingModel first = FlowMatchingModel.create(new FlowMatchingSpec(null, fs.unet(), fs.path(), spec,
                    fs.sampleSteps(), fs.likelihoodSteps(), 0), manager);
            long t0 = System.nanoTime();
            ObjectiveStep step = train(first, data.train().batches(s.fm().training().batchSize(), seed, true,
                    PixelRange.MINUS_ONE_ONE), s.fm().training(), s.fm().emaDecay(), "fm-images", topicRun, manager,
                    seed, files);
            double seconds1 = (System.nanoTime() - t0) / 1e9;
            FlowMatchingModel second = FlowMatchingModel.create(first.spec().withReflow(1), manager);
            double bpd;
            List<Double> fid1 = new ArrayList<>();
            try (Ema.Swap swap = step.ema().swapIn()) {
                files.add(ModelStore.save(first, run.root().resolve("models").resolve("flow-matching-images"))
                        .resolve(ModelStore.SPEC_FILE));
                bpd = bitsPerDim(first, data, s, manager, seed);
                fid(first, data, s, manager, seed, fid1);
                files.add(grid(first, s, manager, seed, run, "images-1rf-steps.png"));
                // the coupling of 1-RF, then 2-RF initialised from 1-RF's EMA weights
                Seeds.seedEngine(Seeds.derive(seed, 60));
                int pairs = s.fm().reflowPairs();
                NDArray z = first.prior(manager, pairs);
                NDList ends = new NDList();
                for (int from = 0; from < pairs; from += 64) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray part = z.get(from + ":" + Math.min(pairs, from + 64));
                        part.tempAttach(scope);
                        NDArray x1 = first.sample(scope, part, new EulerSolver(s.couplingSteps()), false).samples();
                        x1.attach(manager);
                        ends.add(x1);
                    }
                }
                NDArray x1 = NDArrays.concat(ends, 0);
                ScoreTopicToys.copyParameters(first.network(), second.network());
                t0 = System.nanoTime();
                ObjectiveStep step2 = train(second, Reflow.pairedBatches(z, x1, s.fm().reflow().batchSize(),
                        Seeds.derive(seed, 61)), s.fm().reflow(), s.fm().emaDecay(), "reflow-images", topicRun, manager,
                        seed, files);
                double seconds2 = (System.nanoTime() - t0) / 1e9;
                List<Double> fid2 = new ArrayList<>();
                try (Ema.Swap swap2 = step2.ema().swapIn()) {
                    files.add(ModelStore.save(second, run.root().resolve("models").resolve("flow-matching-images-2rf"))
                            .resolve(ModelStore.SPEC_FILE));
                    fid(second, data, s, manager, seed, fid2);
                    files.add(grid(second, s, manager, seed, run, "images-2rf-steps.png"));
                }
                metrics.put("images.bitsPerDim", bpd);
                metrics.put("images.trainSeconds", seconds1);
                metrics.put("images.reflowSeconds", seconds2);
                report.append(String.format(Locale.ROOT, "Dataset `%s`, a %,d-parameter U-Net velocity field trained "
                        + "%d steps (batch %d, EMA weights) with the straight path and independent coupling (1-rectified "
                        + "flow), %.0f s. Test bits/dim through the ODE: **%.3f** (%d test images, uniform dequantization, "
                        + "Hutchinson trace with one Gaussian probe, RK4 with %d steps).%n%n",
                        data.train().name(), parameterCount(first.network()), s.fm().training().steps(),
                        s.fm().training().batchSize(), seconds1, bpd, s.bpdImages(), first.spec().likelihoodSteps()));
                report.append(String.format(Locale.ROOT, "2-rectified flow: %d pairs (x0, ODE(x0)) generated with %d "
                        + "Euler steps of 1-RF, %d training steps from 1-RF's weights, %.0f s.%n%n", pairs,
                        s.couplingSteps(), s.fm().reflow().steps(), seconds2));
                report.append("FID (in-project CNN features) of ").append(s.fidSamples())
                        .append(" samples, Euler with k steps:\n\n| steps | 1-RF | 2-RF |\n|---|---|---|\n");
                for (int i = 0; i < s.fidSteps().length; i++) {
                    int k = s.fidSteps()[i];
                    metrics.put("images.fid1.steps" + k, fid1.get(i));
                    metrics.put("images.fid2.steps" + k, fid2.get(i));
                    report.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f |%n", k, fid1.get(i), fid2.get(i)));
                }
                report.append("\nSamples from the same noise, one row per number of Euler steps (")
                        .append(java.util.Arrays.toString(s.fidSteps())).append("), 1-RF then 2-RF:\n\n")
                        .append("![1-RF](images/images-1rf-steps.png)\n\n![2-RF](images/images-2rf-steps.png)\n\n");
            }
        }
        report.append("## FashionMNIST noise-conditional score model (VE)\n\n")
                .append(runNcsn(s, data, spec, topicRun, seed, metrics, files));
        return report.toString();
    }

    /**
     * NCSN on the images: the U-Net conditioned on σ, trained by continuous-σ denoising score matching,
     * sampled by annealed Langevin and by the VE reverse SDE (predictor–corrector), FID of both, and
     * bits/dim through the PF-ODE of the VE SDE.
     */
    static String runNcsn(Settings s, TopicData data, DataSpec spec, TopicRun topicRun, long seed,
            Map<String, Double> metrics, List<Path> files) throws IOException {
        RunDirectory run = topicRun.directory();
        NcsnSpec ns = s.ncsn().spec();
        NcsnSpec nspec = NcsnSpec.image(ns.unet(), ns.levels(), ns.stepsPerLevel(), ns.epsilon(), ns.likelihoodSteps(),
                spec);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(Seeds.derive(seed, 70));
            NcsnModel model = NcsnModel.create(nspec, manager);
            long t0 = System.nanoTime();
            ObjectiveStep step = fit(s.ncsn().training().step(model.objective(s.ncsn().continuous())),
                    data.train().batches(s.ncsn().training().batchSize(), Seeds.derive(seed, 71), true,
                            PixelRange.MINUS_ONE_ONE), s.ncsn().training(), s.ncsn().emaDecay(), "ncsn-images",
                    topicRun, manager, seed, files);
            double seconds = (System.nanoTime() - t0) / 1e9;
            try (Ema.Swap swap = step.ema() == null ? null : step.ema().swapIn()) {
                files.add(ModelStore.save(model, run.root().resolve("models").resolve("ncsn-images"))
                        .resolve(ModelStore.SPEC_FILE));
                t0 = System.nanoTime();
                Seeds.seedEngine(Seeds.derive(seed, 72));
                double sum = 0;
                int n = Math.min(s.bpdImages(), data.test().size());
                for (int from = 0; from < n; from += 32) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray x = data.test().subset(from, Math.min(n, from + 32)).toNDArray(scope,
                                PixelRange.MINUS_ONE_ONE);
                        OdeLikelihood likelihood = model.likelihood(new ai.djl.training.ParameterStore(scope, false),
                                new Rk4Solver(nspec.likelihoodSteps()), TraceEstimator.HUTCHINSON_GAUSSIAN);
                        sum += likelihood.dequantizedBitsPerDim(x, 2.0 / 255).sum().getFloat();
                    }
                    io.gen4j.core.train.Gradients.zero(model.network());
                }
                double bpd = sum / n;
                double bpdSeconds = (System.nanoTime() - t0) / 1e9;
                String[] samplers = {NcsnModel.ANNEALED_LANGEVIN, NcsnModel.PREDICTOR_CORRECTOR};
                double[] fids = new double[2];
                double[] fidSeconds = new double[2];
                String floor = "";
                for (int i = 0; i < 2; i++) {
                    try (NDManager scope = manager.newSubManager()) {
                        SampleQuality.Result r = SampleQuality.fid(model, SampleOptions.defaults()
                                .withSampler(samplers[i]), data, s.fidSamples(), Seeds.derive(seed, 73), scope);
                        fids[i] = r.fid();
                        fidSeconds[i] = r.seconds();
                        floor = String.format(Locale.ROOT, "%.2f", r.floor());
                    }
                }
                Path grid = run.image("images-ncsn.png");
                try (NDManager scope = manager.newSubManager()) {
                    Seeds.seedEngine(Seeds.derive(seed, 74));
                    NDArray a = model.sample(scope, 30, SampleOptions.defaults());
                    NDArray b = model.sample(scope, 30, SampleOptions.defaults().withSampler(NcsnModel.PREDICTOR_CORRECTOR));
                    ImageGrid.writePng(NDArrays.concat(new NDList(a, b), 0), PixelRange.MINUS_ONE_ONE, 10, 2, grid);
                }
                files.add(grid);
                metrics.put("images.ncsn.bitsPerDim", bpd);
                metrics.put("images.ncsn.fid.annealedLangevin", fids[0]);
                metrics.put("images.ncsn.fid.predictorCorrector", fids[1]);
                metrics.put("images.ncsn.trainSeconds", seconds);
                int evaluations = nspec.levels().count() * nspec.stepsPerLevel() + 1;
                return String.format(Locale.ROOT, "The same U-Net (%,d parameters) as a noise-conditional score "
                        + "s(x, σ) = n(x, σ)/σ, σ entering as the VE time ln(σ/σ_min)/ln(σ_max/σ_min)·1000: denoising "
                        + "score matching with σ log-uniform in [%s, %s] (σ²-weighted), %d steps (batch %d, EMA weights), "
                        + "%.0f s.%n%n| sampler | network evaluations | FID (%d samples) | sampling + features, s |%n"
                        + "|---|---|---|---|%n"
                        + "| annealed Langevin, %d levels × %d steps, ε = %s, final denoising | %d | %.2f | %.0f |%n"
                        + "| VE reverse SDE, predictor–corrector, %d steps, 1 corrector (snr %s) | %d | %.2f | %.0f |%n%n"
                        + "FID of as many training images (the floor): %s. Test bits/dim through the probability-flow ODE "
                        + "of the VE SDE: **%.3f** (%d test images, uniform dequantization, Hutchinson trace with one "
                        + "Gaussian probe, RK4 with %d steps from t = 1e-5 to 1, prior N(0, σ_max² I)), %.0f s.%n%n"
                        + "Three rows of annealed Langevin samples, then three of predictor–corrector:%n%n"
                        + "![NCSN samples](images/images-ncsn.png)%n%n",
                        parameterCount(model.network()), nspec.levels().sigmaMin(), nspec.levels().sigmaMax(),
                        s.ncsn().training().steps(), s.ncsn().training().batchSize(), seconds, s.fidSamples(),
                        nspec.levels().count(), nspec.stepsPerLevel(), nspec.epsilon(), evaluations, fids[0],
                        fidSeconds[0], model.defaultPredictorSteps(), NcsnModel.SNR, 2 * model.defaultPredictorSteps(),
                        fids[1], fidSeconds[1], floor, bpd, n, nspec.likelihoodSteps(), bpdSeconds);
            }
        }
    }

    private static ObjectiveStep train(FlowMatchingModel model, io.gen4j.core.data.BatchSource batches,
            TrainingRecipe recipe, double emaDecay, String name, TopicRun topicRun, NDManager manager, long seed,
            List<Path> files) throws IOException {
        boolean paired = !(batches instanceof ShuffledBatches);
        return fit(recipe.step(model.objective(Coupling.INDEPENDENT, paired)), batches, recipe, emaDecay, name, topicRun,
                manager, seed, files);
    }

    private static ObjectiveStep fit(ObjectiveStep.Builder builder, io.gen4j.core.data.BatchSource batches,
            TrainingRecipe recipe, double emaDecay, String name, TopicRun topicRun, NDManager manager, long seed,
            List<Path> files) throws IOException {
        builder.optName(name);
        if (emaDecay > 0) {
            builder.optEma(ScorePresets.ema(emaDecay));
        }
        ObjectiveStep step = builder.build();
        Path csv = topicRun.directory().root().resolve("metrics-" + name + ".csv");
        topicRun.fit(name, step, batches, manager, (int) recipe.steps(), seed, csv, List.of());
        files.add(csv);
        return step;
    }

    private static long parameterCount(ai.djl.nn.Block block) {
        return block.getParameters().stream().mapToLong(p -> p.getValue().getArray().size()).sum();
    }

    private static double bitsPerDim(FlowMatchingModel model, TopicData data, Settings s, NDManager manager, long seed) {
        Seeds.seedEngine(Seeds.derive(seed, 62));
        double sum = 0;
        int n = Math.min(s.bpdImages(), data.test().size());
        for (int from = 0; from < n; from += 32) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = data.test().subset(from, Math.min(n, from + 32)).toNDArray(scope, PixelRange.MINUS_ONE_ONE);
                // pixels are 2v/255 - 1: bins of width 2/255 starting at the pixel values
                OdeLikelihood likelihood = new OdeLikelihood(model.velocity(new ai.djl.training.ParameterStore(scope,
                        false)), new Rk4Solver(model.spec().likelihoodSteps()), 1, 0, TraceEstimator.HUTCHINSON_GAUSSIAN,
                        FlowMatchingModel::standardNormalLogDensity);
                sum += likelihood.dequantizedBitsPerDim(x, 2.0 / 255).sum().getFloat();
            }
            io.gen4j.core.train.Gradients.zero(model.network());
        }
        return sum / n;
    }

    private static void fid(FlowMatchingModel model, TopicData data, Settings s, NDManager manager, long seed,
            List<Double> out) throws IOException {
        for (int k : s.fidSteps()) {
            try (NDManager scope = manager.newSubManager()) {
                out.add(SampleQuality.fid(model, SampleOptions.defaults().withSteps(k), data, s.fidSamples(),
                        Seeds.derive(seed, 63), scope).fid());
            }
        }
    }

    private static Path grid(FlowMatchingModel model, Settings s, NDManager manager, long seed, RunDirectory run,
            String file) throws IOException {
        int cols = 10;
        try (NDManager scope = manager.newSubManager()) {
            Seeds.seedEngine(Seeds.derive(seed, 64));
            NDArray z = model.prior(scope, cols);
            NDList rows = new NDList();
            for (int k : s.fidSteps()) {
                rows.add(model.sample(scope, z, new EulerSolver(k), false).samples());
            }
            Path out = run.image(file);
            ImageGrid.writePng(NDArrays.concat(rows, 0), PixelRange.MINUS_ONE_ONE, cols, 2, out);
            return out;
        }
    }
}
