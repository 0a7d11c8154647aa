package io.gen4j.examples.topics;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.toy.Toy2dKind;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.score.ScorePresets;
import io.gen4j.score.flow.FlowMatchingModel;
import io.gen4j.score.flow.FlowMatchingSpec;
import io.gen4j.score.matching.NcsnSpec;
import io.gen4j.score.nn.MlpFieldConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Course topic 11-09, score matching, energy-based models and flow matching: on three 2-D toys of
 * known entropy, flow matching (likelihood through the ODE) and an EBM (contrastive divergence,
 * grid-normalised likelihood) with their NLL gaps to the oracle; a noise-conditional score model
 * (score field, Langevin, annealed Langevin, PF-ODE of the VE SDE); reflow with straightness and
 * quality vs steps; then a flow-matching U-Net on FashionMNIST with bits/dim through the ODE and
 * FID vs Euler steps for 1- and 2-rectified flow, and the same U-Net as a noise-conditional score
 * (NCSN on the VE side: FID of annealed Langevin and of the predictor–corrector sampler, bits/dim
 * through the VE probability-flow ODE). The CPU profile is gen-score's {@link ScorePresets}.
 */
public final class ScoreTopic implements Topic {

    /**
     * The configuration of a run, written to config.json.
     *
     * @param profile the profile
     * @param seed the seed
     * @param toys the toys of the NLL table
     * @param toySettings sizes of the 2-D runs
     * @param imageSettings sizes of the image run
     */
    record Settings(Profile profile, long seed, List<Toy2dKind> toys, ScoreTopicToys.Settings toySettings,
            ScoreTopicImages.Settings imageSettings) {}

    @Override
    public String id() {
        return "11-09";
    }

    @Override
    public String title() {
        return "Score matching, EBMs, SDEs and flow matching";
    }

    static Settings settings(Profile profile, long seed) {
        List<Toy2dKind> toys = List.of(Toy2dKind.MOONS, Toy2dKind.EIGHT_GAUSSIANS, Toy2dKind.CHECKERBOARD);
        return switch (profile) {
            case SMOKE -> new Settings(profile, seed, toys, toys(16, 2, 20, 64, 2e-3, 5, 5, 40, 20, 20, 128, 10, 4, 200,
                    100), images(UNetConfig.builder().setImageChannels(1).optBaseChannels(8).optChannelMultipliers(1, 2)
                    .optGroups(4).build(), 4, 8, 1e-3, 16, 2, 3, 8, 2, 8, new int[] {1, 4}, 3, 4, 1));
            case CPU -> new Settings(profile, seed, toys,
                    new ScoreTopicToys.Settings(ScorePresets.flowMatching2d(), ScorePresets.ncsn2d(),
                            ScorePresets.ebm2d(), 5000, 1000),
                    new ScoreTopicImages.Settings(ScorePresets.flowMatchingFashionMnist(), ScorePresets.ncsnFashionMnist(),
                            16, 128, 256, new int[] {1, 4, 16, 100}));
            case GPU -> new Settings(profile, seed, toys, toys(256, 3, 20_000, 512, 2e-3, 10_000, 40, 300, 1000, 20_000,
                    20_000, 10_000, 100, 20_000, 2000), images(UNetConfig.defaults(1), 30_000, 128, 2e-4, 20_000, 100,
                    20_000, 1000, 100, 5000, new int[] {1, 2, 4, 8, 16, 100}, 232, 5, 100));
        };
    }

    /** The 2-D presets at other sizes (the CPU profile is the presets themselves). */
    private static ScoreTopicToys.Settings toys(int hidden, int layers, int fmSteps, int batch, double lr, int ebmSteps,
            int ebmChain, int ebmGrid, int ebmSampleSteps, int ncsnSteps, int reflowPairs, int reflowSteps,
            int likelihoodSteps, int testPoints, int plotPoints) {
        MlpFieldConfig fmNet = new MlpFieldConfig(2, hidden, layers, 32, 1000);
        ScorePresets.FlowMatchingPreset fm = ScorePresets.flowMatching2d()
                .withSpec(new FlowMatchingSpec(fmNet, null, FlowMatchingSpec.Path.STRAIGHT, DataSpec.vector(2), 100,
                        likelihoodSteps, 0))
                .withTraining(TrainingRecipe.of(fmSteps, batch, lr, lr * 0.02, 0, 0))
                .withReflow(TrainingRecipe.of(reflowSteps, batch, lr * 0.3, lr * 0.006, 0, 0), reflowPairs);
        ScorePresets.NcsnPreset ncsn = ScorePresets.ncsn2d();
        NcsnSpec n = ncsn.spec();
        ncsn = ncsn.withSpec(new NcsnSpec(new MlpFieldConfig(2, hidden, layers, 32, 10), n.levels(), n.stepsPerLevel(),
                n.epsilon(), likelihoodSteps, n.data())).withTraining(TrainingRecipe.of(ncsnSteps, batch, lr, lr * 0.02,
                0, 0));
        ScorePresets.EbmPreset e = ScorePresets.ebm2d();
        ScorePresets.EbmPreset ebm = new ScorePresets.EbmPreset(hidden, layers, ebmGrid, ebmSampleSteps,
                e.sampleStepSize(), TrainingRecipe.of(ebmSteps, batch, lr * 0.5, lr * 0.01, 0, 0), ebmChain,
                e.chainStepPerWidth(), e.chainNoiseScale(), e.regularization(), e.bufferCapacity(), e.bufferReinit());
        return new ScoreTopicToys.Settings(fm, ncsn, ebm, testPoints, plotPoints);
    }

    /** The image presets at other sizes. */
    private static ScoreTopicImages.Settings images(UNetConfig unet, int steps, int batch, double lr, int reflowPairs,
            int couplingSteps, int reflowSteps, int bpdImages, int bpdSteps, int fidSamples, int[] fidSteps,
            int ncsnLevels, int ncsnStepsPerLevel, int ncsnLikelihoodSteps) {
        ScorePresets.FlowMatchingPreset fm = ScorePresets.flowMatchingFashionMnist();
        fm = fm.withSpec(new FlowMatchingSpec(null, unet, FlowMatchingSpec.Path.STRAIGHT, fm.spec().data(), 100,
                bpdSteps, 0))
                .withTraining(TrainingRecipe.of(steps, batch, lr, lr / 10, Math.min(100, steps / 10), 1.0))
                .withReflow(TrainingRecipe.of(reflowSteps, batch, lr * 0.3, lr * 0.03, Math.min(100, reflowSteps / 10),
                        1.0), reflowPairs);
        ScorePresets.NcsnPreset ncsn = ScorePresets.ncsnFashionMnist();
        NcsnSpec n = ncsn.spec();
        ncsn = ncsn.withSpec(NcsnSpec.image(unet, new io.gen4j.score.matching.NoiseLevels(n.levels().sigmaMax(),
                n.levels().sigmaMin(), ncsnLevels), ncsnStepsPerLevel, n.epsilon(), ncsnLikelihoodSteps, n.data()))
                .withTraining(TrainingRecipe.of(steps, batch, lr, lr / 10, Math.min(100, steps / 10), 1.0));
        return new ScoreTopicImages.Settings(fm, ncsn, couplingSteps, bpdImages, fidSamples, fidSteps);
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        long start = System.nanoTime();
        Settings s = settings(options.profile(), options.seed());
        TopicRun topicRun = TopicRun.open(options, "11-09-score-ebm-flow-matching", s);
        RunDirectory run = topicRun.directory();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        files.add(run.configFile());
        StringBuilder report = new StringBuilder();
        report.append("# 11-09 Score matching, EBMs, SDEs and flow matching\n\n")
                .append("Profile `").append(s.profile().name().toLowerCase(Locale.ROOT)).append("`, seed ")
                .append(s.seed()).append(". NLLs in nats on fresh test points; the gap to the oracle entropy ")
                .append("estimates KL(data || model). Flow matching's likelihood is the instantaneous change of ")
                .append("variables through its ODE (exact trace, RK4); the EBM's is −E − log Z with Z on a grid over ")
                .append("the toy's box.\n\n## 2-D toys\n\n")
                .append("| toy | oracle entropy | flow matching NLL | gap | EBM NLL | gap |\n|---|---|---|---|---|---|\n");
        Map<String, FlowMatchingModel> keep = new LinkedHashMap<>();
        try (NDManager keepManager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            List<ScoreTopicToys.Nll> rows = new ArrayList<>();
            for (Toy2dKind kind : s.toys()) {
                rows.add(ScoreTopicToys.runToy(kind, s.toySettings(), topicRun, s.seed(), metrics, files, keep,
                        keepManager));
            }
            for (ScoreTopicToys.Nll r : rows) {
                report.append(String.format(Locale.ROOT, "| %s | %.4f ± %.4f | %.4f | %.4f | %.4f | %.4f |%n",
                        r.toy().id(), r.oracle(), r.oracleSe(), r.flowMatchingNll(), r.flowMatchingNll() - r.oracle(),
                        r.ebmNll(), r.ebmNll() - r.oracle()));
            }
            report.append("\n");
            for (ScoreTopicToys.Nll r : rows) {
                String id = r.toy().id();
                report.append("### ").append(id).append("\n\n")
                        .append("![flow matching samples](images/").append(id).append("-fm-samples.png)\n\n")
                        .append("![true density, EBM density, EBM samples](images/").append(id).append("-ebm.png)\n\n");
            }
            report.append("## A noise-conditional score model\n\n")
                    .append(ScoreTopicToys.runScoreModel(Toy2dKind.MOONS, s.toySettings(), topicRun, s.seed(), metrics,
                            files))
                    .append("\n\nScore field, plain Langevin at the smallest σ, annealed Langevin, its paths, and the ")
                    .append("probability-flow ODE of the VE SDE with the same network:\n\n")
                    .append("![score model](images/moons-score-model.png)\n\n");
            report.append("## Reflow\n\n")
                    .append(ScoreTopicToys.runReflow(Toy2dKind.EIGHT_GAUSSIANS, keep.get("eight-gaussians"),
                            s.toySettings(), topicRun, s.seed(), metrics, files))
                    .append("\nTrajectories (20 Euler steps) and one-step samples, 1-RF then 2-RF:\n\n")
                    .append("![reflow](images/eight-gaussians-reflow.png)\n\n");
        }
        report.append("## FashionMNIST flow matching\n\n")
                .append(ScoreTopicImages.run(options, s.imageSettings(), topicRun, s.seed(), metrics, files));
        double minutes = (System.nanoTime() - start) / 60e9;
        metrics.put("wallMinutes", minutes);
        report.append(String.format(Locale.ROOT, "Wall time of the whole run: %.1f min (on a machine shared with other "
                + "jobs).%n", minutes));
        run.writeReport(report.toString());
        files.add(run.reportFile());
        return new TopicResult(run.root(), metrics, files);
    }
}
