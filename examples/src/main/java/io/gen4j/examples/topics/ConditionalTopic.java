package io.gen4j.examples.topics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.autoencoders.ConditionalPrior;
import io.gen4j.autoencoders.ConditionalVae;
import io.gen4j.autoencoders.ConditionalVaeModel;
import io.gen4j.autoencoders.ConditionalVaePreset;
import io.gen4j.autoencoders.ConditionalVaeSpec;
import io.gen4j.autoencoders.KlSchedule;
import io.gen4j.autoencoders.NetworkSpec;
import io.gen4j.autoencoders.VaeConfig;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.gans.Conditioning;
import io.gen4j.gans.GanPreset;
import io.gen4j.gans.GanSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic 11-04, class-conditional generation on FashionMNIST: a conditional DCGAN with the label
 * concatenated to G's latent and D's input (Mirza &amp; Osindero 2014), the same generator with a
 * projection discriminator (Miyato &amp; Koyama 2018), and gen-autoencoders' conditional VAE; grids
 * with one row per class ({@code generate(class, n)}), the in-project classifier's accuracy on each
 * model's conditional samples, FID overall and per class. Course text:
 * docs/topics/11-04-conditional.md.
 */
public final class ConditionalTopic implements Topic {

    private static final Logger LOG = LoggerFactory.getLogger(ConditionalTopic.class);

    /**
     * @param cgans the conditional DCGANs by name: gen-gans' {@code GanPreset.conditionalFashionMnist}
     *     (resized for the smoke and GPU profiles; the classes come from the data)
     * @param images grids and samples of the conditional models
     * @param vaeSteps steps of the conditional VAE
     * @param vaeHidden hidden width of its MLPs
     * @param vaeLatent its latent size
     * @param trainSize training images kept (0 = all)
     * @param testSize test images kept (0 = all)
     */
    record Settings(Map<String, GanPreset> cgans, GansTopicImages.Settings images, int vaeSteps, int vaeHidden,
            int vaeLatent, int trainSize, int testSize) {
        static Settings of(Profile profile) {
            return switch (profile) {
                case SMOKE -> new Settings(cgans(p -> p.withSpec(GanSpec.dcgan(16, 8, 2, 1, 28, 28)
                        .withConditioning(p.spec().conditioning(), 10)).withTraining(p.training().withSteps(6)
                        .withBatchSize(32))), new GansTopicImages.Settings(2, 100), 10, 64, 4, 512, 200);
                case CPU -> withCvae(cgans(p -> p), new GansTopicImages.Settings(4, 1000),
                        ConditionalVaePreset.classes28(), 0, 2000);
                case GPU -> withCvae(cgans(p -> p.withSpec(GanSpec.dcgan(100, 64, 2, 1, 28, 28)
                        .withConditioning(p.spec().conditioning(), 10)).withTraining(p.training().withSteps(20_000)
                        .withBatchSize(128))), new GansTopicImages.Settings(8, 10_000), ConditionalVaePreset.classes28Long(),
                        0, 0);
            };
        }

        /** The cVAE's sizes from gen-autoencoders' public preset (its batch of 64 and constant 1e-3 are the run's). */
        private static Settings withCvae(Map<String, GanPreset> cgans, GansTopicImages.Settings images,
                ConditionalVaePreset cvae, int trainSize, int testSize) {
            return new Settings(cgans, images, (int) cvae.training().steps(), cvae.spec().encoder().widths().get(0),
                    cvae.spec().config().latentDim(), trainSize, testSize);
        }

        /**
         * @param s the run's sizes
         * @param pixels the images' shape and range
         * @param classes the data's classes
         * @return the cVAE ({@link ConditionalVaePreset#classes28()}'s at the CPU profile, 10 classes)
         */
        static ConditionalVaeSpec cvaeSpec(Settings s, DataSpec pixels, int classes) {
            return new ConditionalVaeSpec(NetworkSpec.mlp(s.vaeHidden()), NetworkSpec.mlp(s.vaeHidden()),
                    VaeConfig.defaults(s.vaeLatent()).withKl(new KlSchedule(1, s.vaeSteps() / 10, 0)), classes,
                    ConditionalPrior.LEARNED, pixels);
        }

        /** The two conditional presets of gen-gans (the cpu profile uses them unchanged). */
        static Map<String, GanPreset> cgans(java.util.function.UnaryOperator<GanPreset> sized) {
            Map<String, GanPreset> out = new LinkedHashMap<>();
            out.put("cgan-concat", sized.apply(GanPreset.conditionalFashionMnist(Conditioning.CONCAT)));
            out.put("cgan-projection", sized.apply(GanPreset.conditionalFashionMnist(Conditioning.PROJECTION)));
            return out;
        }
    }

    @Override
    public String id() {
        return "11-04";
    }

    @Override
    public String title() {
        return "Conditional generation: cGAN, projection discriminator, conditional VAE";
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        Settings s = Settings.of(options.profile());
        long seed = options.seed();
        TopicRun run = TopicRun.open(options, "11-04-conditional", s);
        RunDirectory dir = run.directory();
        LOG.info("11-04: run directory {}", dir.root());
        TopicData data = TopicData.load(DatasetId.FASHION_MNIST, DatasetId.MNIST, options.dataPath())
                .subset(s.trainSize(), s.testSize());
        int k = data.train().numClasses();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        files.add(dir.configFile());
        GansTopicImages.Settings g = s.images();
        StringBuilder report = new StringBuilder();
        report.append("# 11-04 Conditional generation — run report\n\nProfile `")
                .append(options.profile().name().toLowerCase(Locale.ROOT)).append("`, seed ").append(seed).append(". ")
                .append(data.note()).append(" Course text: docs/topics/11-04-conditional.md.\n\n")
                .append("Every model draws ").append(g.samples()).append(" samples, cycling through the ").append(k)
                .append(" classes; the in-project classifier (the one behind FID) labels them. Class accuracy: how ")
                .append("often it names the requested class; FID per class: the samples of one class against the ")
                .append("test images of that class (fewer images, so larger numbers than the overall FID).\n\n")
                .append("| model | class accuracy | FID | mean per-class FID | precision | recall | class entropy | ")
                .append("train time (s) |\n|---|---|---|---|---|---|---|---|\n");
        List<String> names = new ArrayList<>();
        List<double[]> perClass = new ArrayList<>();
        try (NDManager scratch = NDManager.newBaseManager();
                CnnFeatureExtractor cnn = SampleQuality.referenceClassifier(data, scratch)) {
            for (Map.Entry<String, GanPreset> e : s.cgans().entrySet()) {
                String name = e.getKey();
                GanPreset preset = e.getValue(); // the data's classes (an image folder may have other than 10)
                preset = preset.withSpec(preset.spec().withConditioning(preset.spec().conditioning(), k));
                GansTopicImages.Outcome o = GansTopicImages.train(name, preset, data, g, run, cnn, seed + 20);
                row(report, name, o.metrics(), o.seconds(), metrics);
                names.add(name);
                perClass.add(o.metrics().perClassFid());
                try (NDManager scope = NDManager.newBaseManager()) {
                    GansTopicImages.writeGrid((io.gen4j.gans.GanModel) ModelStore.load(o.modelDir(), scope),
                            scope, dir.image(name + "-classes.png"));
                }
                files.add(dir.image(name + "-classes.png"));
            }

            // The conditional VAE of gen-autoencoders, on the same images in [0, 1].
            Engine.getInstance().setRandomSeed((int) seed + 30);
            try (NDManager m = NDManager.newBaseManager()) {
                DataSpec pixels = DataSpec.image(1, data.train().height(), data.train().width(), PixelRange.ZERO_ONE);
                ConditionalVaeModel model = ConditionalVaeModel.create(Settings.cvaeSpec(s, pixels, k), m);
                ConditionalVae cvae = model.network();
                ObjectiveStep step = ObjectiveStep.builder().optName("cvae").setObjective(cvae.objective())
                        .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults())).build();
                long t0 = System.nanoTime();
                run.fit("cvae", step, data.train().batches(64, seed + 30, true, PixelRange.ZERO_ONE), m, s.vaeSteps(),
                        seed + 30, dir.root().resolve("training").resolve("cvae.csv"), List.of());
                double seconds = (System.nanoTime() - t0) / 1e9;
                ModelStore.save(model, dir.root().resolve("models").resolve("cvae"));
                GansTopicMetrics.Result r = GansTopicMetrics.measure(model, true, data.test(), cnn, g.samples(),
                        seed + 31, m);
                row(report, "cvae", r, seconds, metrics);
                names.add("cvae");
                perClass.add(r.perClassFid());
                try (NDManager scope = m.newSubManager()) {
                    Engine.getInstance().setRandomSeed(1234);
                    NDArray[] rows = new NDArray[k];
                    for (int c = 0; c < k; c++) {
                        rows[c] = model.sample(scope, 10, SampleOptions.defaults().withLabel(c));
                    }
                    ImageGrid.writePng(NDArrays.concat(new NDList(rows), 0), PixelRange.ZERO_ONE, 10, 2,
                            dir.image("cvae-classes.png"));
                    files.add(dir.image("cvae-classes.png"));
                }
            }
        }
        report.append("\n| class | ").append(String.join(" | ", data.train().classNames())).append(" |\n|---|");
        report.append("---|".repeat(k)).append("\n");
        for (int i = 0; i < names.size(); i++) {
            report.append("| FID, ").append(names.get(i)).append(" |");
            for (double v : perClass.get(i)) {
                report.append(Double.isFinite(v) ? String.format(Locale.ROOT, " %.1f |", v) : " n/a |");
            }
            report.append("\n");
        }
        long skipped = java.util.Arrays.stream(perClass.get(0)).filter(v -> !Double.isFinite(v)).count();
        if (skipped > 0) {
            report.append("\nn/a: ").append(skipped).append(" class(es) have fewer than ")
                    .append(GansTopicMetrics.MIN_PER_CLASS).append(" test images (").append(data.test().size())
                    .append(" held out in all), too few for a covariance; the mean per-class FID is over the other ")
                    .append("classes.\n");
        }
        report.append("\n![cgan-concat](images/cgan-concat-classes.png) ![cgan-projection](images/cgan-projection-")
                .append("classes.png) ![cvae](images/cvae-classes.png)\n\n`generate(class, 10)` for every class, one ")
                .append("row per class (").append(String.join(", ", data.train().classNames())).append("): cGAN with ")
                .append("concatenation, cGAN with the projection discriminator, conditional VAE (decoder means).\n");
        run.directory().writeReport(report.toString());
        files.add(dir.reportFile());
        return new TopicResult(dir.root(), metrics, files);
    }

    private static void row(StringBuilder report, String name, GansTopicMetrics.Result r, double seconds,
            Map<String, Double> metrics) {
        double meanPerClass = GansTopicMetrics.meanOfMeasured(r.perClassFid());
        report.append(String.format(Locale.ROOT, "| %s | %.3f | %.2f | %.2f | %.3f | %.3f | %.3f | %.0f |%n", name,
                r.classAccuracy(), r.fid(), meanPerClass, r.precision(), r.recall(), r.classEntropy(), seconds));
        metrics.put(name + ".classAccuracy", r.classAccuracy());
        metrics.put(name + ".fid", r.fid());
        if (Double.isFinite(meanPerClass)) { // NaN when no class has two test images
            metrics.put(name + ".meanPerClassFid", meanPerClass);
        }
        metrics.put(name + ".precision", r.precision());
        metrics.put(name + ".recall", r.recall());
    }
}
