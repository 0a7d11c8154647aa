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
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.score.flow.Coupling;
import io.gen4j.score.flow.FlowMatchingModel;
import io.gen4j.score.flow.FlowMatchingSpec;
import io.gen4j.score.flow.Reflow;
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
 * bits/dim through the ODE (Hutchinson), reflow to a 2-rectified flow, and FID vs Euler steps for both.
 */
final class ScoreTopicImages {

    private ScoreTopicImages() {}

    /**
     * Sizes of the image run.
     *
     * @param unet the velocity network
     * @param steps 1-RF training steps
     * @param batch images per step
     * @param learningRate peak AdamW rate (cosine to a tenth)
     * @param reflowPairs images of the generated coupling
     * @param couplingSteps Euler steps that generate it
     * @param reflowSteps 2-RF training steps (initialised from 1-RF)
     * @param bpdImages test images of the bits/dim
     * @param bpdSteps RK4 steps of the likelihood ODE
     * @param fidSamples samples per FID
     * @param fidSteps the Euler steps at which FID is measured
     */
    record Settings(UNetConfig unet, int steps, int batch, double learningRate, int reflowPairs, int couplingSteps,
            int reflowSteps, int bpdImages, int bpdSteps, int fidSamples, int[] fidSteps) {}

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
            FlowMatchingModel first = FlowMatchingModel.create(FlowMatchingSpec.image(s.unet(),
                    FlowMatchingSpec.Path.STRAIGHT, spec), manager);
            long t0 = System.nanoTime();
            ObjectiveStep step = train(first, data.train().batches(s.batch(), seed, true, PixelRange.MINUS_ONE_ONE), s,
                    s.steps(), s.learningRate(), "fm-images", topicRun, manager, seed, files);
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
                NDArray z = first.prior(manager, s.reflowPairs());
                NDList ends = new NDList();
                for (int from = 0; from < s.reflowPairs(); from += 64) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray part = z.get(from + ":" + Math.min(s.reflowPairs(), from + 64));
                        part.tempAttach(scope);
                        NDArray x1 = first.sample(scope, part, new EulerSolver(s.couplingSteps()), false).samples();
                        x1.attach(manager);
                        ends.add(x1);
                    }
                }
                NDArray x1 = NDArrays.concat(ends, 0);
                ScoreTopicToys.copyParameters(first.network(), second.network());
                t0 = System.nanoTime();
                ObjectiveStep step2 = train(second, Reflow.pairedBatches(z, x1, s.batch(), Seeds.derive(seed, 61)), s,
                        s.reflowSteps(), s.learningRate() * 0.3, "reflow-images", topicRun, manager, seed, files);
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
                        data.train().name(), first.network().getParameters().stream().mapToLong(p -> p.getValue()
                                .getArray().size()).sum(), s.steps(), s.batch(), seconds1, bpd, s.bpdImages(),
                        s.bpdSteps()));
                report.append(String.format(Locale.ROOT, "2-rectified flow: %d pairs (x0, ODE(x0)) generated with %d "
                        + "Euler steps of 1-RF, %d training steps from 1-RF's weights, %.0f s.%n%n", s.reflowPairs(),
                        s.couplingSteps(), s.reflowSteps(), seconds2));
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
        return report.toString();
    }

    private static ObjectiveStep train(FlowMatchingModel model, io.gen4j.core.data.BatchSource batches, Settings s,
            int steps, double lr, String name, TopicRun topicRun, NDManager manager, long seed, List<Path> files)
            throws IOException {
        boolean paired = !(batches instanceof ShuffledBatches);
        ObjectiveStep step = ObjectiveStep.builder().optName(name)
                .setObjective(model.objective(Coupling.INDEPENDENT, paired))
                .setOptimizer(AdamW.factory(LearningRateSchedule.cosine(lr, lr / 10, Math.min(100, steps / 10), steps),
                        AdamConfig.defaults()))
                .optClipNorm(1.0).optEma(new EmaConfig(0.995, true)).build();
        Path csv = topicRun.directory().root().resolve("metrics-" + name + ".csv");
        topicRun.fit(name, step, batches, manager, steps, seed, csv, List.of());
        files.add(csv);
        return step;
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
                        false)), new Rk4Solver(s.bpdSteps()), 1, 0, TraceEstimator.HUTCHINSON_GAUSSIAN,
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
