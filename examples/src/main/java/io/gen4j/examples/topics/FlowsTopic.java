package io.gen4j.examples.topics;

import io.gen4j.autoencoders.VaePreset;
import io.gen4j.core.data.toy.Toy2dKind;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.flows.RealNvp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Course topic 11-08, normalizing flows: RealNVP (Dinh et al. 2017) trained by exact maximum
 * likelihood on three 2-D toys whose entropy is known, and a multi-scale RealNVP on MNIST (or
 * Fashion-MNIST when MNIST is not on the machine).
 *
 * <p>Outputs: learned vs true density heat maps, the layer-by-layer warp of the base Gaussian, samples,
 * the latent view of encoded data, test NLL and its gap to the oracle entropy for each toy; image
 * samples at several temperatures, latents of test images, and test bits/dim; and the VAE of
 * gen-autoencoders trained on the same dequantized images, whose ELBO and IWAE bounds are set
 * against the flow's exact bits/dim.
 */
public final class FlowsTopic implements Topic {

    /**
     * The configuration of a run, written to config.json.
     *
     * @param profile the profile
     * @param seed the seed
     * @param toys the 2-D toys
     * @param toySettings sizes of the 2-D runs
     * @param imageSettings sizes of the image run
     * @param vaeSettings sizes of the VAE trained for the comparison
     */
    record Settings(
            Profile profile, long seed, List<Toy2dKind> toys, FlowsTopicToys.Settings toySettings,
            FlowsTopicImages.Settings imageSettings, FlowsTopicVae.Settings vaeSettings) {}

    @Override
    public String id() {
        return "11-08";
    }

    @Override
    public String title() {
        return "Normalizing flows: RealNVP with exact likelihood";
    }

    static Settings settings(Profile profile, long seed) {
        List<Toy2dKind> toys = List.of(Toy2dKind.MOONS, Toy2dKind.EIGHT_GAUSSIANS, Toy2dKind.CHECKERBOARD);
        List<Double> temperatures = List.of(0.5, 0.7, 0.85, 1.0);
        return switch (profile) {
            case SMOKE -> new Settings(profile, seed, toys,
                    new FlowsTopicToys.Settings(new RealNvp.VectorPreset(new RealNvp.VectorConfig(2, 2, 16, 1, true, true),
                            TrainingRecipe.of(20, 64, 2e-3, 4e-5, 0, 10), 2048), 500, 24, 100),
                    new FlowsTopicImages.Settings(new RealNvp.ImagePreset(RealNvp.ImageConfig.builder()
                            .setImageShape(1, 28, 28).optCouplings(1).optHidden(16).optResBlocks(1).optGroups(4).build(),
                            TrainingRecipe.of(2, 8, 1e-3, 5e-5, 0, 100), 512), 16, temperatures, true),
                    new FlowsTopicVae.Settings(8, 64, 2, 8, 1e-3, 4, 16));
            case CPU -> new Settings(profile, seed, toys,
                    new FlowsTopicToys.Settings(RealNvp.Presets.toy2d(), 20_000, 120, 1000),
                    new FlowsTopicImages.Settings(RealNvp.Presets.fashionMnist(), 1000, temperatures, false),
                    FlowsTopicVae.Settings.of(VaePreset.dequantized28(), 64, 1000));
            case GPU -> new Settings(profile, seed, toys,
                    new FlowsTopicToys.Settings(RealNvp.Presets.toy2dLong(), 100_000, 200, 2000),
                    new FlowsTopicImages.Settings(RealNvp.Presets.fashionMnistLong(), 10_000, temperatures, false),
                    FlowsTopicVae.Settings.of(VaePreset.dequantized28Long(), 1000, 10_000));
        };
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        Settings s = settings(options.profile(), options.seed());
        TopicRun topicRun = TopicRun.open(options, "11-08-normalizing-flows", s);
        RunDirectory run = topicRun.directory();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        files.add(run.configFile());

        StringBuilder report = new StringBuilder();
        report.append("# 11-08 Normalizing flows: RealNVP with exact likelihood\n\n")
                .append("Profile `").append(s.profile().name().toLowerCase(Locale.ROOT)).append("`, seed ")
                .append(s.seed()).append(". Every likelihood below is exact (change of variables), in nats unless ")
                .append("said otherwise. Wall times were measured on a machine shared with other jobs, so they are ")
                .append("inflated.\n\n## 2-D toys\n\n")
                .append("| toy | test NLL | oracle entropy | gap (≈ KL) | mass on grid | train time (s) |\n")
                .append("|---|---|---|---|---|---|\n");
        List<FlowsTopicToys.Outcome> toyOutcomes = new ArrayList<>();
        for (Toy2dKind kind : s.toys()) {
            FlowsTopicToys.Outcome o = FlowsTopicToys.run(kind, s.toySettings(), topicRun, s.seed());
            toyOutcomes.add(o);
            String id = kind.id();
            metrics.put(id + ".testNll", o.testNll());
            metrics.put(id + ".oracleEntropy", o.oracleEntropy());
            metrics.put(id + ".gap", o.gap());
            metrics.put(id + ".gridMass", o.gridMass());
            metrics.put(id + ".trainSeconds", o.seconds());
            files.addAll(o.files());
            report.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f ± %.4f | %.4f | %.4f | %.1f |%n", id,
                    o.testNll(), o.oracleEntropy(), o.oracleStandardError(), o.gap(), o.gridMass(), o.seconds()));
        }
        report.append("\n");
        for (FlowsTopicToys.Outcome o : toyOutcomes) {
            String id = o.toy().id();
            report.append("### ").append(id).append("\n\n")
                    .append("![true vs learned density](images/").append(id).append("-density.png)\n\n")
                    .append("![warp of the base Gaussian, coupling by coupling](images/").append(id)
                    .append("-warp.png)\n\n")
                    .append("![data and samples](images/").append(id).append("-samples.png) ")
                    .append("![latent view](images/").append(id).append("-latent.png)\n\n");
        }

        FlowsTopicImages.Data data = FlowsTopicImages.load(options, s.imageSettings().syntheticIfMissing());
        FlowsTopicImages.Outcome img = FlowsTopicImages.run(data, s.imageSettings(), topicRun, s.seed());
        metrics.put("images.testBitsPerDim", img.testBitsPerDim());
        metrics.put("images.testNll", img.testNll());
        metrics.put("images.reconstructionMaxError", img.reconstructionError());
        metrics.put("images.trainSeconds", img.seconds());
        files.addAll(img.files());
        report.append("## Images\n\n").append(img.note()).append("\n\n")
                .append(String.format(Locale.ROOT,
                        "Dataset `%s`: test bits/dim %.4f (NLL %.1f nats per image, uniform dequantization, so an "
                                + "upper bound on the discrete code length), max |decode(encode(x)) − x| = %.2g, "
                                + "training %d steps in %.1f s.%n%n",
                        img.dataset(), img.testBitsPerDim(), img.testNll(), img.reconstructionError(),
                        s.imageSettings().preset().training().steps(), img.seconds()))
                .append("Samples at temperatures ").append(s.imageSettings().temperatures())
                .append(" (one row each, top to bottom):\n\n")
                .append("![samples by temperature](images/images-samples-by-temperature.png)\n\n")
                .append("Test images (top) and their latents z = f(x), shown as (z + 3)/6:\n\n")
                .append("![latents](images/images-latents.png)\n\n")
                .append("![training bits/dim](images/images-bits-per-dim.png)\n\n")
                .append("\n");

        FlowsTopicVae.Outcome vae = FlowsTopicVae.run(data, s.vaeSettings(), topicRun, s.seed());
        metrics.put("vae.elboBitsPerDim", vae.elboBitsPerDim());
        metrics.put("vae.iwaeBitsPerDim", vae.iwaeBitsPerDim());
        metrics.put("vae.trainSeconds", vae.seconds());
        files.add(vae.metricsCsv());
        FlowsTopicVae.Settings v = s.vaeSettings();
        report.append("## Exact likelihood against the VAE's bounds\n\n")
                .append("The VAE of gen-autoencoders (MLP encoder and decoder, ").append(v.hidden())
                .append(" hidden units, ").append(v.latent()).append("-d latent, Gaussian decoder with a learned ")
                .append("σ), trained ").append(v.steps()).append(" steps on the same dequantized pixels, on the same ")
                .append(String.format(Locale.ROOT, "%d test images. Every number is in bits/dim and includes the ",
                        Math.min(v.testImages(), s.imageSettings().testImages())))
                .append("D·log 256 of the dequantization bins; lower is better, and the VAE's two numbers are upper ")
                .append("bounds on its true code length.\n\n")
                .append("| model | likelihood | bits/dim | train time (s) |\n|---|---|---|---|\n")
                .append(String.format(Locale.ROOT, "| RealNVP | exact | %.4f | %.1f |%n", img.testBitsPerDim(),
                        img.seconds()))
                .append(String.format(Locale.ROOT, "| VAE | ELBO (1 sample) | %.4f | %.1f |%n", vae.elboBitsPerDim(),
                        vae.seconds()))
                .append(String.format(Locale.ROOT, "| VAE | IWAE bound, K = %d | %.4f | |%n", v.iwaeSamples(),
                        vae.iwaeBitsPerDim()));
        run.writeReport(report.toString());
        files.add(run.reportFile());
        return new TopicResult(run.root(), metrics, files);
    }
}
