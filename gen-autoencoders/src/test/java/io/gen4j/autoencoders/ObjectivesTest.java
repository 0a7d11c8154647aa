package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.testing.GradientCheck;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Closed forms against Monte Carlo and float64 gradient checks of every loss term. */
class ObjectivesTest {

    private static final double GRAD_TOL = 1e-5;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        Engine.getInstance().setRandomSeed(11);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray normal(long... shape) {
        return manager.randomNormal(0, 1, new Shape(shape), DataType.FLOAT64);
    }

    /**
     * Checks gradients. GradientCheck reads the accumulated gradient of each tensor, so every check
     * must use tensors that no earlier backward has touched: callers pass fresh copies.
     */
    private void assertGradients(Function<Void, NDArray> f, List<NDArray> tensors, List<String> names) {
        GradientCheck.Result r = GradientCheck.check(manager, f, tensors, names, 20, 5);
        assertTrue(r.worstRelativeError() < GRAD_TOL, r::toString);
    }

    @Test
    void klToStandardNormalMatchesMonteCarlo() {
        NDArray mu = manager.create(new double[] {0.0, 1.5, -0.7}).reshape(1, 3);
        NDArray logVar = manager.create(new double[] {0.0, -1.2, 0.8}).reshape(1, 3);
        Posterior q = new Posterior(mu.repeat(0, 200_000), logVar.repeat(0, 200_000));
        NDArray z = q.sample();
        // KL = E_q[log q(z) − log p(z)], per dimension.
        NDArray mc = Gaussians.logDensity(z, q.mu(), q.logVar())
                .sub(Gaussians.logStandardDensity(z)).mean(new int[] {0});
        double[] closed = Gaussians.klToStandardNormal(mu, logVar).toDoubleArray();
        double[] estimate = mc.toDoubleArray();
        assertEquals(0.0, closed[0], 1e-12);
        for (int j = 0; j < 3; j++) {
            assertEquals(closed[j], estimate[j], 0.01 + 0.01 * closed[j], "dimension " + j);
        }
    }

    @Test
    void klBetweenGaussiansMatchesMonteCarloAndReducesToStandard() {
        NDArray mu = manager.create(new double[] {0.3, -1.0}).reshape(1, 2);
        NDArray logVar = manager.create(new double[] {-0.5, 0.4}).reshape(1, 2);
        NDArray muP = manager.create(new double[] {1.0, 0.5}).reshape(1, 2);
        NDArray logVarP = manager.create(new double[] {0.2, -0.3}).reshape(1, 2);
        NDArray z = new Posterior(mu.repeat(0, 200_000), logVar.repeat(0, 200_000)).sample();
        double[] mc = Gaussians.logDensity(z, mu, logVar).sub(Gaussians.logDensity(z, muP, logVarP))
                .mean(new int[] {0}).toDoubleArray();
        double[] closed = Gaussians.klBetween(mu, logVar, muP, logVarP).toDoubleArray();
        for (int j = 0; j < 2; j++) {
            assertEquals(closed[j], mc[j], 0.01 + 0.01 * closed[j]);
        }
        NDArray zeros = manager.zeros(new Shape(1, 2), DataType.FLOAT64);
        assertTrue(Gaussians.klBetween(mu, logVar, zeros, zeros)
                .sub(Gaussians.klToStandardNormal(mu, logVar)).abs().max().getDouble() < 1e-12);
    }

    @Test
    void bceFromLogitsIsStableAndMatchesTheDefinition() {
        NDArray logits = manager.create(new double[] {-3, -0.5, 0, 0.7, 4}).reshape(1, 5);
        NDArray x = manager.create(new double[] {0, 1, 0.3, 1, 0.2}).reshape(1, 5);
        double[] l = logits.toDoubleArray();
        double[] t = x.toDoubleArray();
        double expected = 0;
        for (int i = 0; i < 5; i++) {
            double p = 1 / (1 + Math.exp(-l[i]));
            expected -= t[i] * Math.log(p) + (1 - t[i]) * Math.log(1 - p);
        }
        assertEquals(expected, ReconstructionLoss.BCE_WITH_LOGITS.perExample(logits, x).getDouble(0), 1e-12);
        NDArray extreme = manager.create(new float[] {-200f, 200f, 90f}).reshape(1, 3);
        NDArray target = manager.create(new float[] {1f, 0f, 1f}).reshape(1, 3);
        double loss = ReconstructionLoss.BCE_WITH_LOGITS.perExample(extreme, target).getFloat(0);
        assertEquals(400.0, loss, 1e-3);
    }

    @Test
    void reconstructionLossGradients() {
        NDArray out = normal(3, 1, 2, 2);
        NDArray x = manager.randomUniform(0, 1, new Shape(3, 1, 2, 2), DataType.FLOAT64);
        for (ReconstructionLoss loss : ReconstructionLoss.values()) {
            NDArray fresh = out.duplicate();
            assertGradients(v -> loss.perExample(fresh, x), List.of(fresh), List.of(loss.name()));
        }
    }

    @Test
    void decoderLikelihoodGradientsIncludingLearnedSigma() {
        NDArray out = normal(3, 4);
        NDArray x = manager.randomUniform(0, 1, new Shape(3, 4), DataType.FLOAT64);
        NDArray logSigma = manager.create(new double[] {-0.4});
        assertGradients(v -> DecoderLikelihood.BERNOULLI.logLikelihood(out, x, null), List.of(out), List.of("bernoulli"));
        NDArray mean = out.duplicate();
        assertGradients(v -> DecoderLikelihood.GAUSSIAN_LEARNED.logLikelihood(mean, x, logSigma),
                List.of(mean, logSigma), List.of("mean", "logSigma"));
        // The Gaussian log-density is normalised: compare with the formula at one point.
        double mu = out.getDouble(0, 0);
        double xv = x.getDouble(0, 0);
        double s = Math.exp(-0.4);
        NDArray one = DecoderLikelihood.GAUSSIAN_FIXED.logLikelihood(out.get("0:1, 0:1"), x.get("0:1, 0:1"), logSigma);
        double expected = -0.5 * ((xv - mu) * (xv - mu) / (s * s) + Math.log(2 * Math.PI * s * s));
        assertEquals(expected, one.getDouble(0), 1e-12);
    }

    @Test
    void klGradients() {
        NDArray mu = normal(3, 2);
        NDArray logVar = normal(3, 2).mul(0.5);
        NDArray muP = normal(3, 2);
        NDArray logVarP = normal(3, 2).mul(0.5);
        assertGradients(v -> Gaussians.klToStandardNormal(mu, logVar), List.of(mu, logVar), List.of("mu", "logVar"));
        NDArray mu2 = mu.duplicate();
        NDArray logVar2 = logVar.duplicate();
        assertGradients(v -> Gaussians.klBetween(mu2, logVar2, muP, logVarP),
                List.of(mu2, logVar2, muP, logVarP), List.of("mu", "logVar", "muP", "logVarP"));
        NDArray z = normal(3, 2);
        NDArray mu3 = mu.duplicate();
        NDArray logVar3 = logVar.duplicate();
        assertGradients(v -> Gaussians.logDensity(z, mu3, logVar3), List.of(z, mu3, logVar3),
                List.of("z", "mu", "logVar"));
    }

    @Test
    void klScheduleWarmUpAndFreeBits() {
        KlSchedule warm = new KlSchedule(2.0, 100, 0);
        assertEquals(0.0, warm.weight(0));
        assertEquals(1.0, warm.weight(50), 1e-12);
        assertEquals(2.0, warm.weight(100));
        assertEquals(2.0, warm.weight(1000));
        // Free bits: dimensions whose batch-mean KL is below λ cost exactly λ and get no gradient.
        NDArray kl = manager.create(new double[] {0.01, 2.0, 0.02, 3.0}).reshape(2, 2);
        KlSchedule free = new KlSchedule(1.0, 0, 0.5);
        assertEquals(0.5 + 2.5, free.penalty(kl, 0).getDouble(), 1e-12);
        assertEquals(2.515, KlSchedule.defaults().penalty(kl, 0).getDouble(), 1e-12);
        NDArray klVar = manager.create(new double[] {0.01, 2.0, 0.02, 3.0}).reshape(2, 2);
        assertGradients(v -> free.penalty(klVar, 0), List.of(klVar), List.of("kl"));
        assertThrows(IllegalArgumentException.class, () -> new KlSchedule(-1, 0, 0));
    }

    @Test
    void sparsityPenalties() {
        NDArray code = manager.randomUniform(0.05f, 0.95f, new Shape(4, 3), DataType.FLOAT64);
        SparsityPenalty kl = new SparsityPenalty.KlDivergence(0.1, 1.0);
        SparsityPenalty l1 = new SparsityPenalty.L1(0.3);
        assertGradients(v -> kl.penalty(code), List.of(code), List.of("klSparsity"));
        NDArray code2 = code.duplicate();
        assertGradients(v -> l1.penalty(code2), List.of(code2), List.of("l1"));
        // Zero exactly at the target rate.
        NDArray atTarget = manager.ones(new Shape(5, 3), DataType.FLOAT64).mul(0.1);
        assertEquals(0.0, kl.penalty(atTarget).getDouble(), 1e-12);
        double rhoHat = 0.4;
        double expected = 3 * (0.1 * Math.log(0.1 / rhoHat) + 0.9 * Math.log(0.9 / (1 - rhoHat)));
        assertEquals(expected, kl.penalty(manager.ones(new Shape(2, 3), DataType.FLOAT64).mul(rhoHat)).getDouble(), 1e-9);
        assertEquals(0.3 * 6, l1.penalty(manager.ones(new Shape(2, 3), DataType.FLOAT64).mul(-2.0)).getDouble(), 1e-12);
    }

    @Test
    void logMeanExpGradientAndStability() {
        NDArray w = normal(2, 5);
        assertGradients(v -> Iwae.logMeanExp(w, 1), List.of(w), List.of("logWeights"));
        NDArray big = manager.create(new double[] {-1000, -1001, -1002}).reshape(1, 3);
        double expected = -1000 + Math.log((1 + Math.exp(-1) + Math.exp(-2)) / 3);
        assertEquals(expected, Iwae.logMeanExp(big, 1).getDouble(0), 1e-9);
    }

    @Test
    void vectorQuantizerLosses() {
        VectorQuantizer vq = new VectorQuantizer(VectorQuantizerConfig.gradient(5, 3));
        vq.initialize(manager, DataType.FLOAT64, new Shape(4, 3, 2, 2));
        NDArray ze = normal(4, 3, 2, 2).mul(0.1);
        NDArray codebook = vq.codebook();
        ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(manager, false);
        assertGradients(v -> vq.quantize(ps, ze, false).codebookLoss(), List.of(codebook), List.of("codebook"));
        assertGradients(v -> vq.quantize(ps, ze, false).commitmentLoss(), List.of(ze), List.of("ze"));
    }
}
