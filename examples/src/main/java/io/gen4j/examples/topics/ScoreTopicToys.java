package io.gen4j.examples.topics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.toy.Box;
import io.gen4j.core.data.toy.OracleEntropy;
import io.gen4j.core.data.toy.Toy2d;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.data.toy.Toy2dKind;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.MultiPlayerStep;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.Player;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.viz.Plots;
import io.gen4j.core.viz.Series;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.ScorePresets;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.VectorField;
import io.gen4j.score.ebm.EbmModel;
import io.gen4j.score.ebm.EbmSpec;
import io.gen4j.score.ebm.ReplayBuffer;
import io.gen4j.score.flow.Coupling;
import io.gen4j.score.flow.FlowMatchingModel;
import io.gen4j.score.flow.Reflow;
import io.gen4j.score.langevin.LangevinDynamics;
import io.gen4j.score.matching.NcsnModel;
import io.gen4j.score.matching.NcsnSpec;
import io.gen4j.score.matching.NoiseConditionalScore;
import io.gen4j.score.ode.EulerSolver;
import io.gen4j.score.ode.Rk4Solver;
import io.gen4j.score.ode.TraceEstimator;
import io.gen4j.score.sde.VeSde;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The 2-D half of topic 11-09: flow matching with its ODE likelihood and an EBM with its
 * grid-normalised likelihood on toys of known entropy; a noise-conditional score model (score field,
 * Langevin, annealed Langevin, PF-ODE of the VE SDE) and reflow on one toy each.
 */
final class ScoreTopicToys {

    private ScoreTopicToys() {}

    /**
     * Sizes of the 2-D runs: the models and their training are gen-score's presets ({@link
     * ScorePresets#flowMatching2d()}, {@link ScorePresets#ncsn2d()}, {@link ScorePresets#ebm2d()} at the
     * CPU profile).
     *
     * @param fm flow matching and its reflow (the likelihood uses its spec's RK4 steps)
     * @param ncsn the noise-conditional score model
     * @param ebm the energy-based model
     * @param testPoints fresh points of the test NLL
     * @param plotPoints points in scatter plots
     */
    record Settings(ScorePresets.FlowMatchingPreset fm, ScorePresets.NcsnPreset ncsn, ScorePresets.EbmPreset ebm,
            int testPoints, int plotPoints) {}

    /**
     * One toy's NLLs.
     *
     * @param toy the toy
     * @param oracle its entropy, nats
     * @param oracleSe the Monte-Carlo standard error of that entropy
     * @param flowMatchingNll test NLL of flow matching through the ODE
     * @param ebmNll test NLL of the EBM, grid-normalised
     */
    record Nll(Toy2dKind toy, double oracle, double oracleSe, double flowMatchingNll, double ebmNll) {}

    /** The steps of the quality-vs-steps table. */
    static final int[] STEPS = {1, 2, 4, 8, 16, 100};

    static Nll runToy(Toy2dKind kind, Settings s, TopicRun topicRun, long seed, Map<String, Double> metrics,
            List<Path> files, Map<String, FlowMatchingModel> keep, NDManager keepManager) throws IOException {
        RunDirectory run = topicRun.directory();
        Toy2d toy = kind.create();
        String id = kind.id();
        OracleEntropy.Estimate oracle = OracleEntropy.of(toy);
        float[] test = toy.sampleFlat(s.testPoints(), Seeds.derive(seed, 30));
        double fmNll;
        // flow matching: straight path, independent coupling (1-rectified flow)
        Seeds.seedEngine(seed);
        FlowMatchingModel fm = FlowMatchingModel.create(s.fm().spec(), keepManager);
        ObjectiveStep step = s.fm().training().step(fm.objective(Coupling.INDEPENDENT, false))
                .optName("flow-matching").build();
        Path csv = run.root().resolve("metrics-fm-" + id + ".csv");
        topicRun.fit("fm-" + id, step, new Toy2dBatches(toy, s.fm().training().batchSize(), Seeds.derive(seed, 31)),
                keepManager, (int) s.fm().training().steps(), seed, csv, List.of());
        files.add(csv);
        files.add(ModelStore.save(fm, run.root().resolve("models").resolve("flow-matching-" + id))
                .resolve(ModelStore.SPEC_FILE));
        keep.put(id, fm);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            fmNll = -meanLogLikelihood(test, manager, x -> fm.logLikelihood(x, new Rk4Solver(fm.spec().likelihoodSteps()),
                    TraceEstimator.EXACT));
            Seeds.seedEngine(Seeds.derive(seed, 32));
            double[][] samples = points(fm.sample(manager, s.plotPoints(), SampleOptions.defaults().withSteps(100)));
            files.add(scatter(run, id + "-fm-samples.png", id + ": flow matching (Euler, 100 steps)",
                    toy.sample(s.plotPoints(), Seeds.derive(seed, 33)), samples));
        }

        // EBM: contrastive divergence with a replay buffer, density normalised on a grid
        double ebmNll;
        Box box = toy.box();
        double lo = Math.min(box.xMin(), box.yMin());
        double hi = Math.max(box.xMax(), box.yMax());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed);
            ScorePresets.EbmPreset preset = s.ebm();
            EbmSpec spec = preset.spec(lo, hi);
            EbmModel ebm = EbmModel.create(spec, manager);
            ReplayBuffer buffer = preset.newBuffer(lo, hi);
            MultiPlayerStep cd = MultiPlayerStep.builder()
                    .addPlayer(Player.builder("energy", preset.objective(ebm.energy(), buffer, lo, hi))
                            .setOptimizer(preset.training().optimizer()).build())
                    .addState("replay", buffer).build();
            Path ebmCsv = run.root().resolve("metrics-ebm-" + id + ".csv");
            topicRun.fit("ebm-" + id, cd, new Toy2dBatches(toy, preset.training().batchSize(), Seeds.derive(seed, 34)),
                    manager, (int) preset.training().steps(), seed, ebmCsv, List.of());
            files.add(ebmCsv);
            files.add(ModelStore.save(ebm, run.root().resolve("models").resolve("ebm-" + id))
                    .resolve(ModelStore.SPEC_FILE));
            ebmNll = -meanLogLikelihood(test, manager, ebm::logLikelihood);
            double logZ = ebm.logPartition(manager);
            double[][] negE = spec.grid().negativeEnergy(ebm::energyOf, manager);
            double[][] density = new double[negE.length][negE.length];
            for (int r = 0; r < negE.length; r++) {
                for (int c = 0; c < negE.length; c++) {
                    density[r][c] = Math.exp(negE[r][c] - logZ);
                }
            }
            Path truth = run.image(id + "-density-true.png");
            Path model = run.image(id + "-ebm-density.png");
            Plots.densityGrid(toy.densityGrid(spec.gridResolution(), spec.gridResolution()), box.xMin(), box.xMax(), box.yMin(),
                    box.yMax(), PlotSpec.of(id + ": true density").withSize(420, 380), truth);
            Plots.densityGrid(density, lo, hi, lo, hi, PlotSpec.of(id + ": EBM e^-E / Z").withSize(420, 380), model);
            Path both = run.image(id + "-ebm.png");
            Seeds.seedEngine(Seeds.derive(seed, 35));
            double[][] samples = points(ebm.sample(manager, s.plotPoints(), SampleOptions.defaults()));
            Path sc = scatter(run, id + "-ebm-samples.png", id + ": EBM Langevin samples",
                    toy.sample(s.plotPoints(), Seeds.derive(seed, 36)), samples);
            FlowsTopicFigures.join(List.of(truth, model, sc), 3, both);
            files.add(both);
        }
        metrics.put(id + ".oracleEntropy", oracle.nats());
        metrics.put(id + ".flowMatching.testNll", fmNll);
        metrics.put(id + ".flowMatching.gap", fmNll - oracle.nats());
        metrics.put(id + ".ebm.testNll", ebmNll);
        metrics.put(id + ".ebm.gap", ebmNll - oracle.nats());
        return new Nll(kind, oracle.nats(), oracle.standardError(), fmNll, ebmNll);
    }

    /**
     * The score model on one toy: DSM over continuous σ, its score field, plain vs annealed Langevin,
     * and the PF-ODE of the VE SDE (samples and NLL).
     */
    static String runScoreModel(Toy2dKind kind, Settings s, TopicRun topicRun, long seed, Map<String, Double> metrics,
            List<Path> files) throws IOException {
        RunDirectory run = topicRun.directory();
        Toy2d toy = kind.create();
        String id = kind.id();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed);
            NcsnSpec spec = s.ncsn().spec();
            NcsnModel ncsn = NcsnModel.create(spec, manager);
            ObjectiveStep step = s.ncsn().training().step(ncsn.objective(s.ncsn().continuous())).optName("dsm").build();
            Path csv = run.root().resolve("metrics-ncsn-" + id + ".csv");
            topicRun.fit("ncsn-" + id, step, new Toy2dBatches(toy, s.ncsn().training().batchSize(),
                    Seeds.derive(seed, 40)), manager, (int) s.ncsn().training().steps(), seed, csv, List.of());
            files.add(csv);
            files.add(ModelStore.save(ncsn, run.root().resolve("models").resolve("ncsn-" + id))
                    .resolve(ModelStore.SPEC_FILE));
            ScoreFunction score = ncsn.score(new ParameterStore(manager, false));
            double[][] data = toy.sample(s.plotPoints(), Seeds.derive(seed, 41));
            List<Path> panels = new ArrayList<>();
            panels.add(scoreField(run, id, score, toy.box(), 0.1, data, manager));
            // plain Langevin at the smallest level from uniform noise vs annealed Langevin
            Box b = toy.box();
            Seeds.seedEngine(Seeds.derive(seed, 42));
            NDArray start = manager.randomUniform((float) b.xMin(), (float) b.xMax(), new Shape(s.plotPoints(), 2));
            SamplingResult plain = new LangevinDynamics(1000, 5e-4).run(score, start, spec.levels().sigmaMin(), false);
            panels.add(scatter(run, id + "-langevin.png", id + ": Langevin at sigma_min, 1000 steps of 5e-4", data,
                    points(plain.samples())));
            Seeds.seedEngine(Seeds.derive(seed, 43));
            SamplingResult annealed = ncsn.annealedLangevin(manager, s.plotPoints(), spec.stepsPerLevel(), true);
            panels.add(scatter(run, id + "-annealed.png", id + ": annealed Langevin, " + spec.levels().count() + " x "
                    + spec.stepsPerLevel() + " steps", data,
                    points(annealed.samples())));
            panels.add(trajectories(run, id + "-annealed-paths.png", id + ": annealed Langevin paths (12 chains)",
                    annealed.trajectory(), 12));
            annealed.trajectory().forEach(NDArray::close);
            // probability-flow ODE of the VE SDE with the same network
            VeSde sde = spec.sde();
            Seeds.seedEngine(Seeds.derive(seed, 44));
            NDArray prior = sde.samplePrior(manager, new Shape(s.plotPoints(), 2));
            SamplingResult ode = new Rk4Solver(100).solve(sde.probabilityFlow(NoiseConditionalScore.onVeSde(score, sde)),
                    prior, 1, sde.minTime(), false);
            panels.add(scatter(run, id + "-pf-ode.png", id + ": PF-ODE of the VE SDE (RK4, 100 steps)", data,
                    points(ode.samples())));
            Path out = run.image(id + "-score-model.png");
            FlowsTopicFigures.join(panels, 3, out);
            files.add(out);
            float[] test = toy.sampleFlat(Math.min(2000, s.testPoints()), Seeds.derive(seed, 30));
            double nll = -meanLogLikelihood(test, manager, ncsn::logLikelihood);
            metrics.put(id + ".ncsn.pfOdeTestNll", nll);
            metrics.put(id + ".ncsn.pfOdeGap", nll - OracleEntropy.of(toy).nats());
            return String.format(java.util.Locale.ROOT, "NCSN on %s (continuous-σ DSM, %d steps, σ from %s to %s): "
                    + "test NLL through the PF-ODE of its VE SDE %.4f nats, gap to the oracle %.4f.", id,
                    s.ncsn().training().steps(), spec.levels().sigmaMax(), spec.levels().sigmaMin(), nll, nll - OracleEntropy.of(toy).nats());
        }
    }

    /** Reflow on one toy: 1-RF is the flow-matching model trained above. */
    static String runReflow(Toy2dKind kind, FlowMatchingModel first, Settings s, TopicRun topicRun, long seed,
            Map<String, Double> metrics, List<Path> files) throws IOException {
        RunDirectory run = topicRun.directory();
        Toy2d toy = kind.create();
        String id = kind.id();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(Seeds.derive(seed, 50));
            NDArray z = first.prior(manager, s.fm().reflowPairs());
            NDArray x1 = first.sample(manager, z, new Rk4Solver(50), false).samples();
            FlowMatchingModel second = FlowMatchingModel.create(first.spec().withReflow(1), manager);
            copyParameters(first.network(), second.network());
            ObjectiveStep step = s.fm().reflow().step(second.objective(Coupling.INDEPENDENT, true)).optName("reflow")
                    .build();
            Path csv = run.root().resolve("metrics-reflow-" + id + ".csv");
            topicRun.fit("reflow-" + id, step, Reflow.pairedBatches(z, x1, s.fm().reflow().batchSize(),
                    Seeds.derive(seed, 51)), manager, (int) s.fm().reflow().steps(), seed, csv, List.of());
            files.add(csv);
            files.add(ModelStore.save(second, run.root().resolve("models").resolve("flow-matching-" + id + "-2rf"))
                    .resolve(ModelStore.SPEC_FILE));
            VectorField v1 = first.velocity(new ParameterStore(manager, false));
            VectorField v2 = second.velocity(new ParameterStore(manager, false));
            Seeds.seedEngine(Seeds.derive(seed, 52));
            NDArray probe = first.prior(manager, 1000);
            double s1 = Reflow.straightness(v1, probe, 100);
            double s2 = Reflow.straightness(v2, probe, 100);
            metrics.put(id + ".reflow.straightness1", s1);
            metrics.put(id + ".reflow.straightness2", s2);
            double[][] data = toy.sample(2000, Seeds.derive(seed, 53));
            StringBuilder table = new StringBuilder();
            table.append(String.format(java.util.Locale.ROOT, "Reflow on %s: straightness S = %.4f (1-rectified) → "
                    + "%.4f (2-rectified), on 1000 trajectories of 100 Euler steps. Sliced Wasserstein-2 distance of "
                    + "2000 samples to 2000 data points, Euler with k steps from the same noise (lower is better; "
                    + "two independent data sets of 2000 are %.4f apart):%n%n| steps | 1-RF | 2-RF |%n|---|---|---|%n",
                    id, s1, s2, slicedWasserstein(data, toy.sample(2000, Seeds.derive(seed, 54)), seed)));
            NDArray noise = first.prior(manager, 2000);
            for (int k : STEPS) {
                double[][] a = points(first.sample(manager, noise, new EulerSolver(k), false).samples());
                double[][] b2 = points(second.sample(manager, noise, new EulerSolver(k), false).samples());
                double w1 = slicedWasserstein(a, data, seed);
                double w2 = slicedWasserstein(b2, data, seed);
                metrics.put(id + ".reflow.swd1.steps" + k, w1);
                metrics.put(id + ".reflow.swd2.steps" + k, w2);
                table.append(String.format(java.util.Locale.ROOT, "| %d | %.4f | %.4f |%n", k, w1, w2));
            }
            NDArray few = first.prior(manager, 40);
            SamplingResult t1 = first.sample(manager, few, new EulerSolver(20), true);
            SamplingResult t2 = second.sample(manager, few, new EulerSolver(20), true);
            Path p1 = trajectories(run, id + "-trajectories-1rf.png", id + ": 1-rectified flow", t1.trajectory(), 40);
            Path p2 = trajectories(run, id + "-trajectories-2rf.png", id + ": 2-rectified flow", t2.trajectory(), 40);
            double[][] one1 = points(first.sample(manager, noise.get("0:" + s.plotPoints()), new EulerSolver(1), false)
                    .samples());
            double[][] one2 = points(second.sample(manager, noise.get("0:" + s.plotPoints()), new EulerSolver(1), false)
                    .samples());
            double[][] d = toy.sample(s.plotPoints(), Seeds.derive(seed, 55));
            Path q1 = scatter(run, id + "-one-step-1rf.png", id + ": 1-RF, one Euler step", d, one1);
            Path q2 = scatter(run, id + "-one-step-2rf.png", id + ": 2-RF, one Euler step", d, one2);
            Path out = run.image(id + "-reflow.png");
            FlowsTopicFigures.join(List.of(p1, p2, q1, q2), 2, out);
            files.add(out);
            return table.toString();
        }
    }

    static void copyParameters(Block from, Block to) {
        for (int i = 0; i < from.getParameters().size(); i++) {
            from.getParameters().valueAt(i).getArray().copyTo(to.getParameters().valueAt(i).getArray());
        }
    }

    /** The mean over 64 seeded random directions of the 1-D Wasserstein-2² between the projections. */
    static double slicedWasserstein(double[][] a, double[][] b, long seed) {
        int n = Math.min(a.length, b.length);
        Random r = new Random(seed);
        double sum = 0;
        int directions = 64;
        for (int k = 0; k < directions; k++) {
            double angle = r.nextDouble() * Math.PI;
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            double[] pa = new double[n];
            double[] pb = new double[n];
            for (int i = 0; i < n; i++) {
                pa[i] = c * a[i][0] + s * a[i][1];
                pb[i] = c * b[i][0] + s * b[i][1];
            }
            java.util.Arrays.sort(pa);
            java.util.Arrays.sort(pb);
            double w = 0;
            for (int i = 0; i < n; i++) {
                w += (pa[i] - pb[i]) * (pa[i] - pb[i]) / n;
            }
            sum += w / directions;
        }
        return Math.sqrt(sum);
    }

    static double meanLogLikelihood(float[] flat, NDManager manager, java.util.function.Function<NDArray, NDArray> f) {
        int n = flat.length / 2;
        double sum = 0;
        int chunk = 1000;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            try (NDManager scope = manager.newSubManager()) {
                float[] part = new float[2 * m];
                System.arraycopy(flat, 2 * from, part, 0, 2 * m);
                sum += f.apply(scope.create(part, new Shape(m, 2))).sum().toType(DataType.FLOAT64, false).getDouble();
            }
        }
        return sum / n;
    }

    static double[][] points(NDArray a) {
        double[] flat = a.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] p = new double[flat.length / 2][2];
        for (int i = 0; i < p.length; i++) {
            p[i][0] = flat[2 * i];
            p[i][1] = flat[2 * i + 1];
        }
        return p;
    }

    static Path scatter(RunDirectory run, String file, String title, double[][] data, double[][] model)
            throws IOException {
        Path out = run.image(file);
        Plots.scatter(List.of(new Series("data", FlowsTopicFigures.xs(data), FlowsTopicFigures.ys(data)),
                new Series("model", FlowsTopicFigures.xs(model), FlowsTopicFigures.ys(model))),
                PlotSpec.of(title).withSize(420, 380), out);
        return out;
    }

    /** The points of every state of a trajectory (dots along the paths) and the end points. */
    static Path trajectories(RunDirectory run, String file, String title, List<NDArray> trajectory, int chains)
            throws IOException {
        List<double[]> path = new ArrayList<>();
        for (NDArray x : trajectory) {
            double[][] p = points(x.get("0:" + chains));
            path.addAll(java.util.Arrays.asList(p));
        }
        double[][] all = path.toArray(new double[0][]);
        double[][] start = points(trajectory.get(0).get("0:" + chains));
        double[][] end = points(trajectory.get(trajectory.size() - 1).get("0:" + chains));
        Path out = run.image(file);
        Plots.scatter(List.of(new Series("path", FlowsTopicFigures.xs(all), FlowsTopicFigures.ys(all)),
                new Series("start", FlowsTopicFigures.xs(start), FlowsTopicFigures.ys(start)),
                new Series("end", FlowsTopicFigures.xs(end), FlowsTopicFigures.ys(end))),
                PlotSpec.of(title).withSize(420, 380), out);
        return out;
    }

    /** The score at σ on a 16×16 grid as short strokes (dots along each arrow), over the data. */
    static Path scoreField(RunDirectory run, String id, ScoreFunction score, Box box, double sigma, double[][] data,
            NDManager manager) throws IOException {
        int g = 16;
        float[] grid = new float[2 * g * g];
        int k = 0;
        for (int r = 0; r < g; r++) {
            for (int c = 0; c < g; c++) {
                grid[k++] = (float) (box.xMin() + (c + 0.5) * box.width() / g);
                grid[k++] = (float) (box.yMin() + (r + 0.5) * box.height() / g);
            }
        }
        double[][] s;
        try (NDManager scope = manager.newSubManager()) {
            s = points(score.score(scope.create(grid, new Shape(g * g, 2)), sigma));
        }
        double cell = Math.min(box.width(), box.height()) / g;
        List<double[]> strokes = new ArrayList<>();
        List<double[]> tips = new ArrayList<>();
        for (int i = 0; i < g * g; i++) {
            double norm = Math.hypot(s[i][0], s[i][1]);
            double len = 0.9 * cell * Math.min(1, norm / 5);
            double ux = norm > 0 ? s[i][0] / norm : 0;
            double uy = norm > 0 ? s[i][1] / norm : 0;
            for (int j = 0; j < 8; j++) {
                strokes.add(new double[] {grid[2 * i] + ux * len * j / 8, grid[2 * i + 1] + uy * len * j / 8});
            }
            tips.add(new double[] {grid[2 * i] + ux * len, grid[2 * i + 1] + uy * len});
        }
        double[][] st = strokes.toArray(new double[0][]);
        double[][] tp = tips.toArray(new double[0][]);
        Path out = run.image(id + "-score-field.png");
        Plots.scatter(List.of(new Series("data", FlowsTopicFigures.xs(data), FlowsTopicFigures.ys(data)),
                new Series("score direction", FlowsTopicFigures.xs(st), FlowsTopicFigures.ys(st)),
                new Series("arrow tip", FlowsTopicFigures.xs(tp), FlowsTopicFigures.ys(tp))),
                PlotSpec.of(id + ": learned score at sigma = " + sigma).withSize(420, 380), out);
        return out;
    }

    static Map<String, Object> describe(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", s);
        return m;
    }
}
