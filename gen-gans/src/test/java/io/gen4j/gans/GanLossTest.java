package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The five losses at known scores against their definitions (D = σ(s) for the probabilistic ones;
 * the piecewise and quadratic ones by hand), and the saturation that motivates the non-saturating
 * loss.
 */
class GanLossTest {

    static final double[] REAL = {2.0, -1.0, 0.5};
    static final double[] FAKE = {0.3, -2.0};

    NDManager m;
    NDArray real;
    NDArray fake;

    @BeforeEach
    void setUp() {
        m = NDManager.newBaseManager();
        real = m.create(REAL);
        fake = m.create(FAKE);
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    static double sigmoid(double s) {
        return 1 / (1 + Math.exp(-s));
    }

    static double meanOf(double[] v, java.util.function.DoubleUnaryOperator f) {
        double sum = 0;
        for (double x : v) {
            sum += f.applyAsDouble(x);
        }
        return sum / v.length;
    }

    static double value(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    @Test
    void minimaxIsTheCrossEntropyGame() {
        // L_D = −E log D(x) − E log(1 − D(G(z))),  L_G = E log(1 − D(G(z)))
        double d = -meanOf(REAL, s -> Math.log(sigmoid(s))) - meanOf(FAKE, s -> Math.log(1 - sigmoid(s)));
        double g = meanOf(FAKE, s -> Math.log(1 - sigmoid(s)));
        assertEquals(d, value(GanLoss.minimax().discriminatorLoss(real, fake)), 1e-12);
        assertEquals(g, value(GanLoss.minimax().generatorLoss(fake)), 1e-12);
    }

    @Test
    void nonSaturatingMaximisesLogD() {
        double d = -meanOf(REAL, s -> Math.log(sigmoid(s))) - meanOf(FAKE, s -> Math.log(1 - sigmoid(s)));
        double g = -meanOf(FAKE, s -> Math.log(sigmoid(s)));
        assertEquals(d, value(GanLoss.nonSaturating().discriminatorLoss(real, fake)), 1e-12);
        assertEquals(g, value(GanLoss.nonSaturating().generatorLoss(fake)), 1e-12);
    }

    @Test
    void hingeLeastSquaresAndWassersteinByHand() {
        // hinge: real max(0, 1 − s) = 0, 2, 0.5; fake max(0, 1 + s) = 1.3, 0
        assertEquals(2.5 / 3 + 1.3 / 2, value(GanLoss.hinge().discriminatorLoss(real, fake)), 1e-12);
        assertEquals(0.85, value(GanLoss.hinge().generatorLoss(fake)), 1e-12);
        // least squares: ½ (1 + 4 + 0.25)/3 + ½ (0.09 + 4)/2 and ½ (0.49 + 9)/2
        assertEquals(0.875 + 1.0225, value(GanLoss.leastSquares().discriminatorLoss(real, fake)), 1e-12);
        assertEquals(2.3725, value(GanLoss.leastSquares().generatorLoss(fake)), 1e-12);
        // Wasserstein: E[s_f] − E[s_r] = −0.85 − 0.5
        assertEquals(-1.35, value(GanLoss.wasserstein().discriminatorLoss(real, fake)), 1e-12);
        assertEquals(0.85, value(GanLoss.wasserstein().generatorLoss(fake)), 1e-12);
    }

    @Test
    void minimaxSaturatesWhereNonSaturatingDoesNot() {
        // D rejects the samples confidently: s_f = −10. dL_G/ds = −σ(s)/N (minimax), −σ(−s)/N (NS)
        double minimax = generatorGradient(GanLoss.minimax(), -10);
        double nonSaturating = generatorGradient(GanLoss.nonSaturating(), -10);
        assertEquals(-sigmoid(-10), minimax, 1e-12);
        assertEquals(-sigmoid(10), nonSaturating, 1e-12);
        assertTrue(Math.abs(minimax) < 1e-4 && Math.abs(nonSaturating) > 0.99);
    }

    private double generatorGradient(GanLoss loss, double s) {
        NDArray x = m.create(new double[] {s});
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.generatorLoss(x));
        }
        return x.getGradient().getDouble(0);
    }
}
