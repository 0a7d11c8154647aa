package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.toy.EightGaussians;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.train.Fit;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regression guards on the 8-Gaussians ring (radius 2, σ = 0.05; MLPs 2 × 128, batch 256): a
 * generator that outruns its discriminator collapses, WGAN-GP and spectral norm cover the ring. Seeded, small budget; the measured values
 * are in the comments (docs/results.md).
 */
// Tagged "slow", not "quality": in about one process in three a run's weights go non-finite after an
// isolated infinite discriminator gradient norm (not reproducible with the same seeds, cause unknown;
// docs/results.md, GANs, "Open"), so these cannot yet serve as regression guards. Run with -Pslow.
@Tag("slow")
class ModeCollapseQualityTest {

    static final EightGaussians RING = new EightGaussians(8, 2, 0.05);

    static ModeCoverage run(GanSpec spec, Function<GanModel, GanTraining.Step> training, long steps, long seed) {
        return run(spec, training, steps, seed, true);
    }

    static ModeCoverage run(GanSpec spec, Function<GanModel, GanTraining.Step> training, long steps, long seed,
            boolean mustStayFinite) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            GanModel model = GanModel.create(spec, m);
            GanTraining.Step step = training.apply(model);
            // An isolated infinite D gradient norm shows up in some runs (not reproducible, training goes on
            // with finite losses; docs/results.md): these guards judge the outcome, so the loop's guard is off
            // and the final weights must be finite instead.
            Fit.builder().setStep(step).setSource(new Toy2dBatches(RING, 256, seed)).setManager(m)
                    .optTotalSteps(steps).optSeed(seed).optStopOnNonFinite(false).build().run();
            Engine.getInstance().setRandomSeed(99);
            ai.djl.ndarray.NDArray x = model.sample(m, 2000);
            if (mustStayFinite) {
                org.junit.jupiter.api.Assertions.assertTrue(!x.isInfinite().any().getBoolean()
                        && !x.isNaN().any().getBoolean(), "non-finite samples");
            }
            return ModeCoverage.measure(x, ModeCoverage.means(RING), RING.sigma());
        }
    }

    static GanSpec spec() {
        return GanSpec.mlp(2, 128, 2, 2);
    }

    @Test
    void aGeneratorThatOutrunsItsDiscriminatorCollapses() {
        // non-saturating loss, G's learning rate 5x D's: measured 2/8 modes, 2.9 % high quality in two
        // processes; in a third G's samples diverged (non-finite: no mode covered), which this setting may do
        ModeCoverage c = run(spec(), m -> GanTraining.builder(m).optLearningRates(1e-4, 5e-4).build(), 1500, 1,
                false);
        System.out.println("collapsing: " + c);
        assertTrue(c.covered() <= 3 && c.highQualityFraction() < 0.2, c.toString());
    }

    @Test
    void wganGpCoversTheRing() {
        // λ = 1, n_critic 5, lr 5e-4, betas (0.5, 0.9), 3000 steps: measured 8/8 modes, 37.5 % high quality
        ModeCoverage c = run(spec(), m -> GanTraining.builder(m).optLoss(GanLoss.wasserstein())
                .optPenalty(new GradientPenalty(1)).optCriticSteps(5).optLearningRates(5e-4, 5e-4).optBetas(0.5, 0.9)
                .build(), 3000, 1);
        System.out.println("wgan-gp: " + c);
        assertTrue(c.covered() >= 7 && c.highQualityFraction() > 0.25, c.toString());
    }

    @Test
    void spectralNormCoversTheRing() {
        // non-saturating loss, spectrally normalised D, lr 2e-4, 1500 steps: measured 8/8 modes, 29.0 % high quality
        // (at lr 5e-4 one of three runs stopped on a non-finite D gradient norm, docs/results.md)
        ModeCoverage c = run(spec().withSpectralNorm(true), m -> GanTraining.builder(m).optLearningRates(2e-4, 2e-4)
                .build(), 1500, 1);
        System.out.println("spectral norm: " + c);
        assertTrue(c.covered() >= 6, c.toString());
    }
}
