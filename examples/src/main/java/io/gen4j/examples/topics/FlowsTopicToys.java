package io.gen4j.examples.topics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.toy.Box;
import io.gen4j.core.data.toy.OracleEntropy;
import io.gen4j.core.data.toy.Toy2d;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.data.toy.Toy2dKind;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.viz.Plots;
import io.gen4j.core.viz.Series;
import io.gen4j.flows.AffineCoupling;
import io.gen4j.flows.CompositeTransform;
import io.gen4j.flows.Density2d;
import io.gen4j.flows.FlowTransform;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.core.io.ModelStore;
import io.gen4j.flows.MaximumLikelihoodObjective;
import io.gen4j.flows.RealNvpModel;
import io.gen4j.flows.RealNvpSpec;
import io.gen4j.flows.NormalizingFlow;
import io.gen4j.flows.RealNvp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The 2-D half of topic 11-08: RealNVP on toy densities whose entropy is known. */
final class FlowsTopicToys {

    private FlowsTopicToys() {}

    /**
     * Sizes of the 2-D runs.
     *
     * @param preset the flow and its training (steps per toy, batch, schedule, clip), from {@link
     *     RealNvp.Presets} at the CPU and GPU profiles
     * @param testPoints fresh points for the test NLL
     * @param gridResolution cells per axis of the density heat maps
     * @param plotPoints points in the scatter plots
     */
    record Settings(
            RealNvp.VectorPreset preset, int testPoints,
            int gridResolution, int plotPoints) {}

    /**
     * What one toy run measured.
     *
     * @param toy the toy
     * @param testNll mean NLL of fresh test points, nats
     * @param oracleEntropy the toy's entropy (the floor of any model's expected NLL), nats
     * @param oracleStandardError Monte-Carlo standard error of the entropy estimate
     * @param gridMass the learned density integrated over the plotting box
     * @param seconds wall time of the training
     * @param files the figures
     */
    record Outcome(
            Toy2dKind toy, double testNll, double oracleEntropy, double oracleStandardError, double gridMass,
            double seconds, List<Path> files) {
        /** @return test NLL minus the oracle entropy: an estimate of KL(p_data || p_model) */
        double gap() {
            return testNll - oracleEntropy;
        }
    }

    static Outcome run(Toy2dKind kind, Settings s, TopicRun topicRun, long seed) throws IOException {
        RunDirectory run = topicRun.directory();
        Toy2d toy = kind.create();
        String id = kind.id();
        List<Path> files = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed);
            RealNvp.VectorPreset preset = s.preset();
            TrainingRecipe training = preset.training();
            NormalizingFlow flow = RealNvp.vector(preset.model());
            flow.initialize(manager, DataType.FLOAT32, new Shape(training.batchSize(), 2));
            int init = preset.initializationPoints();
            flow.initializeFromData(manager.create(toy.sampleFlat(init, Seeds.derive(seed, 1)), new Shape(init, 2)));
            Path csv = run.root().resolve("metrics-" + id + ".csv");
            long t0 = System.nanoTime();
            ObjectiveStep step = training.step(new MaximumLikelihoodObjective(flow)).optName("flow").build();
            topicRun.fit("realnvp-" + id, step, new Toy2dBatches(toy, training.batchSize(), Seeds.derive(seed, 2)),
                    manager, training.steps(), seed, csv, List.of());
            files.add(ModelStore.save(new RealNvpModel(RealNvpSpec.vector(preset.model()), flow),
                    run.root().resolve("models").resolve("realnvp-" + id)).resolve(ModelStore.SPEC_FILE));
            double seconds = (System.nanoTime() - t0) / 1e9;
            files.add(csv);

            double testNll = testNll(flow, manager, toy, s.testPoints(), Seeds.derive(seed, 3));
            OracleEntropy.Estimate oracle = OracleEntropy.of(toy);
            Box box = toy.box();
            Density2d.Grid learned = Density2d.densityGrid(flow, manager, box.xMin(), box.xMax(), box.yMin(), box.yMax(),
                    s.gridResolution());

            files.add(densityFigure(toy, id, learned, s.gridResolution(), run));
            files.add(warpFigure(flow, manager, id, s.plotPoints(), run));
            files.add(samplesFigure(flow, manager, toy, id, s.plotPoints(), Seeds.derive(seed, 4), run));
            files.add(latentFigure(flow, manager, toy, id, s.plotPoints(), Seeds.derive(seed, 5), run));
            Path curve = run.image(id + "-nll.png");
            TopicRun.metricCurve(csv, "loss", PlotSpec.of(id + ": training NLL").withLabels("step", "nats"), false,
                    curve);
            files.add(curve);
            return new Outcome(kind, testNll, oracle.nats(), oracle.standardError(), learned.integral(), seconds, files);
        }
    }

    private static double testNll(NormalizingFlow flow, NDManager manager, Toy2d toy, int n, long seed) {
        float[] flat = toy.sampleFlat(n, seed);
        double sum = 0;
        int chunk = 5000;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            try (NDManager scope = manager.newSubManager()) {
                float[] part = new float[2 * m];
                System.arraycopy(flat, 2 * from, part, 0, 2 * m);
                NDArray x = scope.create(part, new Shape(m, 2));
                sum -= flow.logLikelihood(x).sum().toType(DataType.FLOAT64, false).getDouble();
            }
        }
        return sum / n;
    }

    private static Path densityFigure(Toy2d toy, String id, Density2d.Grid learned, int res, RunDirectory run)
            throws IOException {
        Box b = toy.box();
        Path truth = run.image(id + "-density-true.png");
        Path model = run.image(id + "-density-model.png");
        Plots.densityGrid(toy.densityGrid(res, res), b.xMin(), b.xMax(), b.yMin(), b.yMax(),
                PlotSpec.of(id + ": true density").withSize(480, 420), truth);
        Plots.densityGrid(learned.density(), b.xMin(), b.xMax(), b.yMin(), b.yMax(),
                PlotSpec.of(id + ": RealNVP density").withSize(480, 420), model);
        Path out = run.image(id + "-density.png");
        FlowsTopicFigures.join(List.of(truth, model), 2, out);
        return out;
    }

    /** Base samples pushed back through the flow one coupling at a time. */
    private static Path warpFigure(NormalizingFlow flow, NDManager manager, String id, int n, RunDirectory run)
            throws IOException {
        List<double[][]> stages = Density2d.warp(flow, manager, n);
        List<FlowTransform> transforms = ((CompositeTransform) flow.transform()).transforms();
        List<Path> panels = new ArrayList<>();
        long couplings = transforms.stream().filter(t -> t instanceof AffineCoupling).count();
        long every = Math.max(1, (couplings + 7) / 8);
        int couplingsSeen = 0;
        for (int k = 0; k < stages.size(); k++) {
            // stage k is the result of inverting transforms[size − k]: the generative direction
            boolean coupling = k > 0 && transforms.get(transforms.size() - k) instanceof AffineCoupling;
            if (coupling) {
                couplingsSeen++;
            }
            boolean last = k == stages.size() - 1;
            if (!(k == 0 || last || coupling && couplingsSeen % every == 0)) {
                continue;
            }
            String title = k == 0 ? "base N(0, I)" : last ? "data space" : "after " + couplingsSeen
                    + " coupling" + (couplingsSeen == 1 ? "" : "s");
            Path p = run.image(id + "-warp-" + k + ".png");
            double[][] pts = stages.get(k);
            Plots.scatter(List.of(new Series(title, FlowsTopicFigures.xs(pts), FlowsTopicFigures.ys(pts))),
                    PlotSpec.of(title).withSize(300, 300), p);
            panels.add(p);
        }
        Path out = run.image(id + "-warp.png");
        FlowsTopicFigures.join(panels, 5, out);
        return out;
    }

    private static Path samplesFigure(NormalizingFlow flow, NDManager manager, Toy2d toy, String id, int n, long seed,
            RunDirectory run) throws IOException {
        double[][] data = toy.sample(n, seed);
        double[][] model;
        try (NDManager scope = manager.newSubManager()) {
            model = Density2d.toPoints(flow.sample(scope, n));
        }
        Path out = run.image(id + "-samples.png");
        Plots.scatter(List.of(
                        new Series("data", FlowsTopicFigures.xs(data), FlowsTopicFigures.ys(data)),
                        new Series("RealNVP samples", FlowsTopicFigures.xs(model), FlowsTopicFigures.ys(model))),
                PlotSpec.of(id + ": data and samples").withSize(520, 480), out);
        return out;
    }

    private static Path latentFigure(NormalizingFlow flow, NDManager manager, Toy2d toy, String id, int n, long seed,
            RunDirectory run) throws IOException {
        double[][] z;
        double[][] gauss;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(toy.sampleFlat(n, seed), new Shape(n, 2));
            z = Density2d.toPoints(flow.encode(x));
            gauss = Density2d.toPoints(scope.randomNormal(new Shape(n, 2)));
        }
        Path out = run.image(id + "-latent.png");
        Plots.scatter(List.of(
                        new Series("N(0, I) samples", FlowsTopicFigures.xs(gauss), FlowsTopicFigures.ys(gauss)),
                        new Series("encoded data f(x)", FlowsTopicFigures.xs(z), FlowsTopicFigures.ys(z))),
                PlotSpec.of(id + ": latent view").withSize(520, 480), out);
        return out;
    }
}
