package outside;

import io.gen4j.autoencoders.VaePreset;
import io.gen4j.core.data.toy.Toy2dKind;
import io.gen4j.examples.snippets.RealNvpSnippet;
import io.gen4j.examples.snippets.VaeSnippet;
import io.gen4j.flows.RealNvp;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A user's program on the published gen4j artifacts: RealNVP on 2-D moons with topic 11-08's settings
 * ({@code RealNvp.Presets.toy2d()}: 16 couplings, 4000 updates of 1024 points), then the VAE snippet with
 * {@code VaePreset.binarized28()} on FashionMNIST for a shorter run. Both through the documentation's
 * snippets. Usage: {@code OutsideUser <out-dir> [vae-steps]}.
 */
public final class OutsideUser {

    private OutsideUser() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/outside-user");
        long vaeSteps = args.length > 1 ? Long.parseLong(args[1]) : 600;
        Files.createDirectories(out);

        // 100,000 training points and 20,000 test points of scikit-learn's moons (radius 1, noise 0.1)
        double[][] train = rows(Toy2dKind.MOONS.create().sampleFlat(100_000, 1));
        double[][] test = rows(Toy2dKind.MOONS.create().sampleFlat(20_000, 2));
        long t0 = System.nanoTime();
        double flowNll = RealNvpSnippet.fit(train, test, RealNvp.Presets.toy2d(), out.resolve("realnvp"), 0);
        System.out.printf("RealNVP toy2d preset on moons: test NLL %.4f nats (topic 11-08: 1.0087; oracle entropy "
                + "1.0126 +- 0.0053), %.0f s%n", flowNll, (System.nanoTime() - t0) / 1e9);

        VaePreset vae = VaePreset.binarized28();
        vae = vae.withTraining(vae.training().withSteps(vaeSteps));
        long t1 = System.nanoTime();
        double vaeNll = VaeSnippet.fit(null, vae, out.resolve("vae"), 0);
        System.out.printf("VAE binarized28 preset, %d steps: IWAE-64 bound %.2f nats on 500 test images, %.0f s%n",
                vaeSteps, vaeNll, (System.nanoTime() - t1) / 1e9);
    }

    private static double[][] rows(float[] flat) {
        double[][] r = new double[flat.length / 2][];
        for (int i = 0; i < r.length; i++) {
            r[i] = new double[] {flat[2 * i], flat[2 * i + 1]};
        }
        return r;
    }
}
