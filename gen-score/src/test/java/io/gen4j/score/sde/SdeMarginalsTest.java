package io.gen4j.score.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The closed-form marginals of every SDE against the moment equations of its own drift and
 * diffusion, integrated numerically here: for dx = f x dt + g dW from a point x_0, E[x_t] = m(t) x_0
 * with dm/dt = f m, m(0) = 1, and Var[x_t] = v(t) with dv/dt = 2 f v + g², v(0) = 0. So m(t) and s(t)²
 * come from f and g alone, not from the formulas under test.
 */
class SdeMarginalsTest {

    private static double[] moments(Sde sde, double t) {
        int steps = 20_000;
        double h = t / steps;
        double m = 1;
        double v = 0;
        for (int i = 0; i < steps; i++) {
            double s = i * h;
            // RK4 on (m, v)
            double[] k1 = rhs(sde, s, m, v);
            double[] k2 = rhs(sde, s + h / 2, m + h / 2 * k1[0], v + h / 2 * k1[1]);
            double[] k3 = rhs(sde, s + h / 2, m + h / 2 * k2[0], v + h / 2 * k2[1]);
            double[] k4 = rhs(sde, s + h, m + h * k3[0], v + h * k3[1]);
            m += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
            v += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
        }
        return new double[] {m, v};
    }

    private static double[] rhs(Sde sde, double t, double m, double v) {
        double f = sde.driftScale(t);
        double g = sde.diffusion(t);
        return new double[] {f * m, 2 * f * v + g * g};
    }

    @Test
    void marginalsSolveTheMomentEquations() {
        List<Sde> sdes = List.of(VpSde.defaults(), SubVpSde.defaults(), new VpSde(0.5, 5), new VeSde(0.01, 50),
                new VeSde(0.1, 3));
        for (Sde sde : sdes) {
            for (double t : new double[] {0.05, 0.3, 0.7, 1.0}) {
                double[] mv = moments(sde, t);
                assertEquals(mv[0], sde.meanScale(t), 1e-7 * Math.max(1, mv[0]), sde + " mean at " + t);
                double s = sde.marginalStd(t);
                assertEquals(mv[1], s * s, 1e-6 * Math.max(1, mv[1]), sde + " variance at " + t);
            }
        }
    }

    @Test
    void vpKnownValues() {
        // B(1) = 0.1 + 19.9/2 = 10.05; m(1) = e^-5.025, s(1)^2 = 1 - e^-10.05
        VpSde vp = VpSde.defaults();
        assertEquals(Math.exp(-5.025), vp.meanScale(1), 1e-15);
        assertEquals(1 - Math.exp(-10.05), Math.pow(vp.marginalStd(1), 2), 1e-14);
        // sub-VP's variance is the square of VP's (1 - e^-B): always smaller
        SubVpSde sub = SubVpSde.defaults();
        for (double t : new double[] {0.01, 0.5, 1}) {
            assertEquals(Math.pow(vp.marginalStd(t), 2), sub.marginalStd(t), 1e-14);
        }
        // VE: sigma(t) geometric between the ends
        VeSde ve = new VeSde(0.01, 50);
        assertEquals(0.01, ve.sigma(0), 1e-15);
        assertEquals(50, ve.sigma(1), 1e-12);
        assertEquals(Math.sqrt(0.01 * 50), ve.sigma(0.5), 1e-12);
    }

    @Test
    void discreteVpHasTheScheduleMarginalsAtItsGrid() {
        double[] betas = new double[50];
        for (int i = 0; i < betas.length; i++) {
            betas[i] = 1e-3 + (0.2 - 1e-3) * i / 49.0;
        }
        DiscreteVpSde sde = new DiscreteVpSde(betas);
        double product = 1;
        for (int i = 0; i < betas.length; i++) {
            product *= 1 - betas[i];
            assertEquals(product, sde.alphaBar(i), 1e-12);
            double t = sde.time(i);
            assertEquals(product, Math.pow(sde.meanScale(t), 2), 1e-12, "m(t_i)^2 = alphaBar_i");
            assertEquals(1 - product, Math.pow(sde.marginalStd(t), 2), 1e-12);
            assertEquals(i, sde.step(t));
        }
        double[] mv = moments(sde, 0.63);
        assertEquals(mv[0], sde.meanScale(0.63), 1e-6);
        assertEquals(mv[1], Math.pow(sde.marginalStd(0.63), 2), 1e-6);
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new VpSde(0, 20));
        assertThrows(IllegalArgumentException.class, () -> new VpSde(1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new VeSde(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DiscreteVpSde(new double[] {0.1, 1.0}));
    }
}
