package outside;

import io.gen4j.autoencoders.AutoencoderPreset;
import io.gen4j.autoencoders.ConditionalVaePreset;
import io.gen4j.autoencoders.Corruption;
import io.gen4j.autoencoders.VaePreset;
import io.gen4j.autoencoders.VqVaePreset;
import io.gen4j.autoregressive.MadePreset;
import io.gen4j.autoregressive.PixelCnnPreset;
import io.gen4j.autoregressive.WaveNetPreset;
import io.gen4j.core.data.toy.Toy2dKind;
import io.gen4j.diffusion.DdpmPreset;
import io.gen4j.diffusion.latent.LatentDiffusionPreset;
import io.gen4j.examples.snippets.AutoencoderSnippet;
import io.gen4j.examples.snippets.CvaeSnippet;
import io.gen4j.examples.snippets.DdpmSnippet;
import io.gen4j.examples.snippets.FlowMatchingSnippet;
import io.gen4j.examples.snippets.GanSnippet;
import io.gen4j.examples.snippets.MadeSnippet;
import io.gen4j.examples.snippets.LatentDiffusionSnippet;
import io.gen4j.examples.snippets.PixelCnnSnippet;
import io.gen4j.examples.snippets.RealNvpSnippet;
import io.gen4j.examples.snippets.VaeSnippet;
import io.gen4j.examples.snippets.VqVaeSnippet;
import io.gen4j.examples.snippets.WaveNetSnippet;
import io.gen4j.flows.RealNvp;
import io.gen4j.gans.GanPreset;
import io.gen4j.score.ScorePresets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user's program on the published gen4j artifacts: every snippet of the documentation, each with its
 * family's public preset at a reduced step count (the whole program takes a few minutes), from data to a
 * saved model, samples and the likelihood. Usage: {@code OutsideUser <out-dir> [part...]} (all parts when
 * none is named). Adding a snippet is one line in {@link #PARTS}.
 */
public final class OutsideUser {

    /** One snippet run: trains into {@code out} and returns its measured figure as a sentence. */
    @FunctionalInterface
    interface Part {
        String run(Path out) throws Exception;
    }

    private static final Map<String, Part> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("realnvp", out -> String.format(Locale.ROOT, "RealNVP toy2d preset, 600 updates, on moons: test NLL "
                + "%.4f nats (oracle entropy 1.0126)", RealNvpSnippet.fit(moons(20_000, 1), moons(5000, 2),
                        steps(RealNvp.Presets.toy2d(), 600), out, 0)));
        PARTS.put("vae", out -> String.format(Locale.ROOT, "VAE binarized28 preset, 600 updates: IWAE-64 bound %.2f "
                + "nats on 500 test images", VaeSnippet.fit(null, vae(600), out, 0)));
        PARTS.put("ddpm", out -> String.format(Locale.ROOT, "DDPM quickstart28 preset, 100 updates: variational "
                + "bound %.1f nats on 8 test images", DdpmSnippet.fit(null, ddpm(100), out, 0)));
        PARTS.put("pixelcnn", out -> String.format(Locale.ROOT, "PixelCNN binarized28 preset, 60 updates: exact NLL "
                + "%.2f nats on 200 binarised test images", PixelCnnSnippet.fit(null, pixelCnn(60), out, 0)));
        PARTS.put("autoencoder", out -> String.format(Locale.ROOT, "denoising autoencoder (Gaussian 0.5) preset, "
                + "300 updates: MSE per pixel %.4f on 500 clean test images",
                AutoencoderSnippet.fit(null, denoising(300), out, 0)));
        PARTS.put("flow-matching", out -> String.format(Locale.ROOT, "flow matching flowMatching2d preset, 1000 "
                + "updates, on moons: test NLL %.4f nats through the ODE (oracle entropy 1.0126)",
                FlowMatchingSnippet.fit(moons(20_000, 1), moons(2000, 2), flowMatching(1000), out, 0)));
        PARTS.put("dcgan", out -> String.format(Locale.ROOT, "DCGAN dcganFashionMnist preset, 200 updates: mean "
                + "sample image %.4f from the mean test image (mean absolute difference in [-1, 1])",
                GanSnippet.fit(null, dcgan(200), out, 0)));
        PARTS.put("cvae", out -> String.format(Locale.ROOT, "conditional VAE classes28 preset, 1000 updates: %.1f of "
                + "the classes' mean samples nearest their own class's mean test image", CvaeSnippet.fit(null,
                        cvae(1000), out, 0)));
        PARTS.put("vq-vae", out -> vqVaeFigures(VqVaeSnippet.fit(null, vqVae(100), out, 0)));
        PARTS.put("made", out -> String.format(Locale.ROOT, "MADE binarized28 preset, 600 updates: exact NLL %.2f "
                + "nats on 500 binarised test images", MadeSnippet.fit(null, made(600), out, 0).natsAfterLoad()));
        PARTS.put("wavenet", out -> String.format(Locale.ROOT, "WaveNet audio4k preset, 200 updates on 256 sine-mixture "
                + "clips: exact NLL %.4f nats per sample on 8 held-out clips (uniform 5.5452), a WAV written",
                WaveNetSnippet.fit(WaveNetSnippet.topicClips(256, 4000, 0.128, 1),
                        WaveNetSnippet.topicClips(8, 4000, 0.128, 2), waveNet(200), out, 0).natsPerSampleAfterLoad()));
        PARTS.put("latent-diffusion", out -> String.format(Locale.ROOT, "latent diffusion textToImage32 preset, "
                + "autoencoder 200 and latent diffusion 300 updates of 32: %s", LatentDiffusionSnippet.fit(null,
                        LatentDiffusionPreset.textToImage32().withAutoencoder(LatentDiffusionPreset.textToImage32()
                                .autoencoder().withTraining(LatentDiffusionPreset.autoencoderRecipe(200, 32)))
                                .withTraining(LatentDiffusionPreset.recipe(300, 32, 1e-3)), out, 0)));
        PARTS.put("sedd", out -> sedd(io.gen4j.examples.snippets.SeddSnippet.fit(io.gen4j.diffusion.discrete.KjvText
                .locate(java.util.Optional.empty()), 300, out, 0)));
    }

    private OutsideUser() {}

    private static String sedd(io.gen4j.examples.snippets.SeddSnippet.Result r) {
        return String.format(Locale.ROOT, "SEDD characters preset, 300 updates, on the King James Bible: bound %.3f "
                + "bits/char against the unigram level %.3f; infill '%s' -> '%s'", r.bound(), r.unigram(),
                r.given().replace("\n", "⏎"), r.infill().replace("\n", "⏎"));
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/outside-user");
        List<String> names = args.length > 1 ? List.of(args).subList(1, args.length) : List.copyOf(PARTS.keySet());
        Files.createDirectories(out);
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            Part part = PARTS.get(name);
            if (part == null) {
                throw new IllegalArgumentException("no part " + name + "; the parts are " + PARTS.keySet());
            }
            long t0 = System.nanoTime();
            String line = String.format(Locale.ROOT, "%s: %s, %.0f s", name, part.run(out.resolve(name)),
                    (System.nanoTime() - t0) / 1e9);
            System.out.println(line);
            lines.add(line);
        }
        System.out.println("outside-user summary:");
        lines.forEach(l -> System.out.println("  " + l));
    }

    private static RealNvp.VectorPreset steps(RealNvp.VectorPreset p, long steps) {
        return p.withTraining(p.training().withSteps(steps));
    }

    private static ConditionalVaePreset cvae(long steps) {
        ConditionalVaePreset p = ConditionalVaePreset.classes28();
        return p.withTraining(p.training().withSteps(steps));
    }

    private static GanPreset dcgan(long steps) {
        GanPreset p = GanPreset.dcganFashionMnist();
        return p.withTraining(p.training().withSteps(steps));
    }

    private static ScorePresets.FlowMatchingPreset flowMatching(long steps) {
        ScorePresets.FlowMatchingPreset p = ScorePresets.flowMatching2d();
        return p.withTraining(p.training().withSteps(steps));
    }

    private static VaePreset vae(long steps) {
        VaePreset p = VaePreset.binarized28();
        return p.withTraining(p.training().withSteps(steps));
    }

    private static DdpmPreset ddpm(long steps) {
        DdpmPreset p = DdpmPreset.quickstart28();
        return p.withTraining(p.training().withSteps(steps));
    }

    private static PixelCnnPreset pixelCnn(long steps) {
        PixelCnnPreset p = PixelCnnPreset.binarized28();
        return p.withTraining(p.training().withSteps(steps));
    }

    private static AutoencoderPreset denoising(long steps) {
        AutoencoderPreset p = AutoencoderPreset.denoising28(new Corruption.Gaussian(0.5));
        return p.withTraining(p.training().withSteps(steps));
    }

    private static String vqVaeFigures(VqVaeSnippet.Result r) {
        return String.format(Locale.ROOT, "VQ-VAE binarized28 preset, 100 updates: reconstruction %.2f nats (after "
                + "loading %.2f), bound %.2f nats, %d of 64 codes used, perplexity %.1f, on 500 binarised test images",
                r.reconstruction(), r.reconstructionAfterLoad(), r.bound(), r.codesUsed(), r.perplexity());
    }

    private static VqVaePreset vqVae(long steps) {
        VqVaePreset p = VqVaePreset.binarized28();
        return p.withTraining(p.training().withSteps(steps));
    }

    private static MadePreset made(long steps) {
        MadePreset p = MadePreset.binarized28();
        return p.withTraining(p.training().withSteps(steps));
    }

    private static WaveNetPreset waveNet(long steps) {
        WaveNetPreset p = WaveNetPreset.audio4k();
        return p.withTraining(p.training().withSteps(steps));
    }

    /** n points of scikit-learn's moons (radius 1, noise 0.1). */
    private static double[][] moons(int n, long seed) {
        float[] flat = Toy2dKind.MOONS.create().sampleFlat(n, seed);
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) {
            r[i] = new double[] {flat[2 * i], flat[2 * i + 1]};
        }
        return r;
    }
}
