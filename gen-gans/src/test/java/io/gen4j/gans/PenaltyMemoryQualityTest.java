package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.toy.EightGaussians;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.StepEnd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 5000 WGAN-GP steps, and 5000 steps with a spectrally normalised critic, keep native memory flat:
 * the native part of the resident set (VmRSS minus the committed Java heap) grows by less than 128
 * MB between step 1000 and step 5000 — a create-graph double backward leaks about 4 MB per step in
 * DJL (docs/known-issues.md §2), ~16 GB over those 4000 steps — and the model's manager holds as many
 * arrays at the end as at step 1000.
 */
// Tagged "slow", not "quality": in about one process in three a run's weights go non-finite after an
// isolated infinite discriminator gradient norm (not reproducible with the same seeds, cause unknown;
// docs/results.md, GANs, "Open"), so these cannot yet serve as regression guards. Run with -Pslow.
@Tag("slow")
class PenaltyMemoryQualityTest {

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** VmRSS minus the committed Java heap, in kB. */
    static long nativeKb() {
        return rssKb() - Runtime.getRuntime().totalMemory() / 1024;
    }

    @Test
    void wganGpKeepsMemoryFlatOver5000Steps() {
        assertFlat(false);
    }

    @Test
    void spectralNormKeepsMemoryFlatOver5000Steps() {
        assertFlat(true);
    }

    private static void assertFlat(boolean spectralNorm) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(2);
            GanModel model = GanModel.create(GanSpec.mlp(4, 64, 2, 2).withSpectralNorm(spectralNorm), m);
            GanTraining.Builder b = GanTraining.builder(model).optCriticSteps(2).optLearningRates(1e-4, 1e-4);
            if (!spectralNorm) {
                b.optLoss(GanLoss.wasserstein()).optPenalty(GradientPenalty.defaults()).optBetas(0, 0.9);
            } else {
                b.optLoss(GanLoss.hinge());
            }
            GanTraining.Step step = b.build();
            long[] at500 = new long[2];
            Fit.builder().setStep(step).setSource(new Toy2dBatches(EightGaussians.defaults(), 64, 3)).setManager(m)
                    .optTotalSteps(5000).optSeed(4).optStopOnNonFinite(false).addListener(new FitListener() {
                        @Override
                        public void onStepEnd(StepEnd e) {
                            if (e.step() + 1 == 1000) {
                                System.gc();
                                at500[0] = nativeKb();
                                at500[1] = BlockChecks.countManagedArrays(m);
                            }
                        }
                    }).build().run();
            System.gc();
            long growthKb = nativeKb() - at500[0];
            System.out.println((spectralNorm ? "spectral norm" : "WGAN-GP") + ": native resident memory growth from "
                    + "step 1000 to 5000: " + growthKb / 1024.0 + " MB");
            // measured 2026-12-01 (load ~21): 81 MB with WGAN-GP, 2 MB with spectral norm
            assertTrue(growthKb < 128 * 1024, "native resident memory grew by " + growthKb / 1024 + " MB");
            assertEquals(at500[1], BlockChecks.countManagedArrays(m), "managed arrays grew");
            // the loop's NaN guard is off (an isolated infinite gradient norm shows up in some runs,
            // docs/results.md): the model must still be finite
            ai.djl.ndarray.NDArray x = model.sample(m, 256);
            assertTrue(!x.isNaN().any().getBoolean() && !x.isInfinite().any().getBoolean(), "non-finite samples");
        }
    }
}
