package io.gen4j.examples.topics;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.train.FitListener;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.gans.GanLoss;
import io.gen4j.gans.GanModel;
import io.gen4j.gans.GanPreset;
import io.gen4j.gans.GanRecipe;
import io.gen4j.gans.GanSpec;
import io.gen4j.gans.GanTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic 11-03, GANs: the minimax game on the 8-Gaussians ring (D's output field and G's samples
 * over training), a collapsing setting and its fixes (WGAN-GP, spectral norm) with the mode-coverage
 * table, the instability picture when D dominates (minimax vs non-saturating generator loss), and a
 * DCGAN on FashionMNIST per loss with sample grids over training and FID, precision, recall and the
 * class-histogram entropy in the in-project classifier's features. Every model is saved with
 * {@code ModelStore} under {@code <run>/models/<name>/} ({@code ./gen4j sample --run} draws from it).
 * Course text: docs/topics/11-03-gans.md.
 */
public final class GansTopic implements Topic {

    private static final Logger LOG = LoggerFactory.getLogger(GansTopic.class);

    /**
     * @param toys the 2-D runs
     * @param dcgans the DCGAN runs by name: gen-gans' presets (resized for the smoke and GPU profiles)
     * @param images grids and samples of the DCGAN runs
     * @param trainSize training images kept (0 = all)
     * @param testSize test images kept (0 = all)
     */
    record Settings(GansTopicToys.Settings toys, Map<String, GanPreset> dcgans, GansTopicImages.Settings images,
            int trainSize, int testSize) {
        static Settings of(Profile profile) {
            return switch (profile) {
                case SMOKE -> new Settings(new GansTopicToys.Settings(32, 2, 64, 40, 2, 400),
                        dcgans(p -> p.withSpec(GanSpec.dcgan(16, 8, 2, 1, 28, 28).withSpectralNorm(p.spec()
                                .spectralNorm())).withTraining(p.training().withSteps(6).withBatchSize(32))),
                        new GansTopicImages.Settings(2, 100), 512, 200);
                case CPU -> new Settings(new GansTopicToys.Settings(128, 2, 256, 1500, 4, 2000), dcgans(p -> p),
                        new GansTopicImages.Settings(4, 1000), 0, 2000);
                case GPU -> new Settings(new GansTopicToys.Settings(256, 3, 256, 10_000, 6, 10_000),
                        dcgans(p -> p.withSpec(GanSpec.dcgan(100, 64, 2, 1, 28, 28).withSpectralNorm(p.spec()
                                .spectralNorm())).withTraining(p.training().withSteps(20_000).withBatchSize(128))),
                        new GansTopicImages.Settings(8, 10_000), 0, 0);
            };
        }

        /** The three DCGAN presets of gen-gans (the cpu profile uses them unchanged). */
        static Map<String, GanPreset> dcgans(java.util.function.UnaryOperator<GanPreset> sized) {
            Map<String, GanPreset> out = new LinkedHashMap<>();
            out.put("dcgan-non-saturating", sized.apply(GanPreset.dcganFashionMnist()));
            out.put("dcgan-hinge-sn", sized.apply(GanPreset.dcganFashionMnistHingeSpectralNorm()));
            out.put("dcgan-wgan-gp", sized.apply(GanPreset.dcganFashionMnistWganGp()));
            return out;
        }
    }

    /**
     * A 2-D preset at the profile's sizes: its loss, penalty, n_critic, learning rates and betas, with
     * the profile's MLP width and depth, batch size and steps (the cpu profile's are the preset's own).
     */
    static GanPreset ring(GanPreset preset, GansTopicToys.Settings t, int steps) {
        return preset.withSpec(GanSpec.mlp(2, t.width(), t.depth(), 2).withSpectralNorm(preset.spec().spectralNorm()))
                .withTraining(preset.training().withBatchSize(t.batch()).withSteps(steps));
    }

    @Override
    public String id() {
        return "11-03";
    }

    @Override
    public String title() {
        return "GANs: the minimax game, mode collapse, WGAN-GP, spectral norm, DCGAN";
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        Settings s = Settings.of(options.profile());
        long seed = options.seed();
        TopicRun run = TopicRun.open(options, "11-03-gans", s);
        RunDirectory dir = run.directory();
        LOG.info("11-03: run directory {}", dir.root());
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        files.add(dir.configFile());
        GansTopicToys.Settings t = s.toys();
        StringBuilder report = new StringBuilder();
        report.append("# 11-03 GANs — run report\n\nProfile `").append(options.profile().name().toLowerCase(Locale.ROOT))
                .append("`, seed ").append(seed).append(". Course text: docs/topics/11-03-gans.md. Wall times were ")
                .append("measured on a machine shared with other jobs.\n\n");

        // 1. The game on the ring, with snapshots of D's field and G's samples.
        Function<GanModel, List<FitListener>> snap = model -> List.of(GansTopicToys.snapshots(model, t, dir));
        GanPreset ring = ring(GanPreset.ring2d(), t, t.steps());
        GanPreset ringGp = ring(GanPreset.ring2dWganGp(), t, 2 * t.steps());
        GansTopicToys.Outcome game = GansTopicToys.train("game", "non-saturating + SN", ring.spec(),
                ring.training()::step, t, (int) ring.training().steps(), run, seed, snap);
        Path gamePng = dir.image("game.png");
        GansTopicToys.joinOrKeep(GansTopicToys.snapshotPanels(t, dir), 2, gamePng);
        files.add(gamePng);
        report.append("## The game on the 8-Gaussians ring\n\n![game](images/game.png)\n\nLeft: σ(D(x)), the ")
                .append("discriminator's probability that x is real; right: 500 samples G(z) (over the data in grey), at ")
                .append("steps 1 … ").append(t.steps()).append(". At the start D separates the data from G's blob; ")
                .append("G follows D's gradient uphill into the modes; at the end D is close to ½ on the data (the ")
                .append("optimum D* = p/(p + q) = ½ when q = p). Final coverage: ").append(game.coverage()).append(".\n\n");

        // 2. Mode collapse and its fixes.
        List<GansTopicToys.Outcome> rings = new ArrayList<>();
        rings.add(GansTopicToys.train("collapse", "collapsing: NS, lr_G = 5 lr_D", GansTopicToys.spec(t),
                m -> GanTraining.builder(m).optLearningRates(1e-4, 5e-4).build(), t, t.steps(), run, seed + 1,
                m -> List.of()));
        rings.add(GansTopicToys.train("wgan-gp", "WGAN-GP (λ = 1, n_critic 5)", ringGp.spec(), ringGp.training()::step,
                t, (int) ringGp.training().steps(), run, seed + 1, m -> List.of()));
        rings.add(GansTopicToys.train("spectral-norm", "NS + spectral norm", ring.spec(), ring.training()::step, t,
                (int) ring.training().steps(), run, seed + 1, m -> List.of()));
        Path ringPng = dir.image("mode-coverage.png");
        FlowsTopicFigures.join(rings.stream().map(GansTopicToys.Outcome::samplesPng).toList(), 3, ringPng);
        files.add(ringPng);
        report.append("## Mode collapse and two fixes\n\n![coverage](images/mode-coverage.png)\n\n")
                .append("Same MLPs (").append(t.depth()).append(" × ").append(t.width()).append(", latent 2), batch ")
                .append(t.batch()).append(", ").append(t.samples()).append(" samples scored. A mode is covered when it ")
                .append("gets at least a fifth of a fair share of the high-quality samples (within 3σ of a mode).\n\n")
                .append("| setting | steps | modes covered | high-quality samples | reverse KL (nats) | time (s) |\n")
                .append("|---|---|---|---|---|---|\n");
        for (GansTopicToys.Outcome o : rings) {
            report.append(String.format(Locale.ROOT, "| %s | %s | %d / 8 | %.1f %% | %.3f | %.1f |%n", o.label(),
                    o.divergedAt() >= 0 ? "diverged at " + o.divergedAt()
                            : String.valueOf(o.name().equals("wgan-gp") ? 2 * t.steps() : t.steps()),
                    o.coverage().covered(),
                    100 * o.coverage().highQualityFraction(), o.coverage().reverseKl(), o.seconds()));
            metrics.put("ring." + o.name() + ".modes", (double) o.coverage().covered());
            metrics.put("ring." + o.name() + ".highQuality", o.coverage().highQualityFraction());
            if (Double.isFinite(o.coverage().reverseKl())) { // +∞ when no sample is near a mode
                metrics.put("ring." + o.name() + ".reverseKl", o.coverage().reverseKl());
            }
        }
        report.append("\n");

        // 3. Instability: D dominates (5 D steps per G step, lr_D = 10 lr_G).
        List<GansTopicToys.Outcome> unstable = new ArrayList<>();
        unstable.add(GansTopicToys.train("d-dominates-minimax", "minimax", GansTopicToys.spec(t),
                m -> GanTraining.builder(m).optLoss(GanLoss.minimax()).optCriticSteps(5).optLearningRates(1e-3, 1e-4)
                        .build(), t, t.steps(), run, seed + 2, m -> List.of()));
        unstable.add(GansTopicToys.train("d-dominates-ns", "non-saturating", GansTopicToys.spec(t),
                m -> GanTraining.builder(m).optCriticSteps(5).optLearningRates(1e-3, 1e-4).build(), t, t.steps(), run,
                seed + 2, m -> List.of()));
        Path lossPng = dir.image("d-dominates-losses.png");
        Path gradPng = dir.image("d-dominates-gradients.png");
        GansTopicToys.curves(unstable, List.of("discriminator.loss", "generator.loss"), "D and G losses when D dominates",
                false, lossPng);
        GansTopicToys.curves(unstable, List.of("discriminator.gradNorm", "generator.gradNorm"),
                "gradient norms when D dominates", true, gradPng);
        files.add(lossPng);
        files.add(gradPng);
        report.append("## When D dominates\n\n![losses](images/d-dominates-losses.png)\n\n")
                .append("![gradients](images/d-dominates-gradients.png)\n\nFive discriminator updates per generator ")
                .append("update, D's learning rate 10× G's. D's loss goes towards 0; with the minimax loss G's gradient ")
                .append("σ(s_f) vanishes as D rejects its samples, with the non-saturating loss it does not.\n\n");
        for (GansTopicToys.Outcome o : unstable) {
            metrics.put("ring." + o.name() + ".modes", (double) o.coverage().covered());
        }

        // 4. DCGAN on FashionMNIST, per loss.
        TopicData data = TopicData.load(DatasetId.FASHION_MNIST, DatasetId.MNIST, options.dataPath())
                .subset(s.trainSize(), s.testSize());
        GansTopicImages.Settings im = s.images();
        GanPreset first = s.dcgans().values().iterator().next();
        GanRecipe r0 = first.training();
        int w = first.spec().width();
        report.append("## DCGAN on ").append(data.id()).append("\n\n").append(data.note()).append(" Generator: z (")
                .append(first.spec().latentDim()).append(") → dense → ").append(2 * w).append("×7×7 → two transposed ")
                .append("convolutions with BatchNorm and ReLU → tanh; discriminator: two stride-2 convolutions (")
                .append(w).append(", ").append(2 * w).append(" filters) with LeakyReLU(0.2) → dense. ")
                .append("gen-gans' presets `GanPreset.dcganFashionMnist()`, `…HingeSpectralNorm()`, `…WganGp()`")
                .append(options.profile() == Profile.CPU ? "" : " (resized for this profile)").append(": batch ")
                .append(r0.batchSize()).append(", ").append(r0.steps()).append(" steps each, learning rates ")
                .append(r0.discriminatorLearningRate()).append(" (D) and ").append(r0.generatorLearningRate())
                .append(" (G), samples from the generator's ")
                .append(r0.ema() == null ? "weights" : "EMA (decay " + r0.ema().decay() + ")").append(". Metrics on ")
                .append(im.samples()).append(" samples against ")
                .append(Math.min(2000, data.test().size())).append(" test images, in the in-project classifier's ")
                .append("features; class entropy is that of the classifier's predicted-class histogram (log 10 = 2.303 ")
                .append("when every class is produced equally often).\n\n")
                .append("| loss | FID | precision | recall | class entropy (nats) | time (s) |\n|---|---|---|---|---|---|\n");
        try (NDManager scratch = NDManager.newBaseManager();
                CnnFeatureExtractor cnn = SampleQuality.referenceClassifier(data, scratch)) {
            List<Path> progress = new ArrayList<>();
            for (Map.Entry<String, GanPreset> e : s.dcgans().entrySet()) {
                String name = e.getKey();
                GansTopicImages.Outcome o = GansTopicImages.train(name, e.getValue(), data, im, run, cnn, seed + 10);
                progress.addAll(o.gridPngs());
                GansTopicMetrics.Result r = o.metrics();
                report.append(String.format(Locale.ROOT, "| %s | %.2f | %.3f | %.3f | %.3f | %.0f |%n", name, r.fid(),
                        r.precision(), r.recall(), r.classEntropy(), o.seconds()));
                metrics.put(name + ".fid", r.fid());
                metrics.put(name + ".precision", r.precision());
                metrics.put(name + ".recall", r.recall());
                metrics.put(name + ".classEntropy", r.classEntropy());
                files.add(o.metricsCsv());
            }
            Path grid = dir.image("dcgan-progress.png");
            GansTopicToys.joinOrKeep(progress, im.grids(), grid);
            files.add(grid);
            report.append("\n![progress](images/dcgan-progress.png)\n\nOne row per loss (non-saturating, hinge + ")
                    .append("spectral norm, WGAN-GP), columns at evenly spaced steps, the same z throughout.\n\n");
        }
        run.directory().writeReport(report.toString());
        files.add(dir.reportFile());
        return new TopicResult(dir.root(), metrics, files);
    }
}
