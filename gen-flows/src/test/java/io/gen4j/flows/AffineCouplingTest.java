package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.Invertible.Transformed;
import io.gen4j.flows.testing.FlowTransformChecks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The affine coupling against its definition (Dinh et al. 2017, eq. 7–9) written out in Java doubles: with the
 * conditioner's output (ŝ, t̂) = NN(b ⊙ x) taken from the coupling's own net, the masks from {@link
 * CouplingMask}'s rule (checkerboard: even indices kept; channel: the first half), s = (1 − b) α tanh(ŝ),
 * t = (1 − b) t̂, y = x e^s + t, log|det| = Σ s, and the inverse x = (y − t) e^−s. The contract properties
 * check that forward and inverse agree with each other and with a numerical Jacobian; this checks that they
 * compute the documented function, whichever way the code arranges the masks.
 */
class AffineCouplingTest {

    @ParameterizedTest
    @CsvSource({"CHECKERBOARD, false, 5", "CHECKERBOARD, true, 4", "CHANNEL, false, 4", "CHANNEL, true, 5"})
    void forwardAndInverseAreTheWrittenOutDefinition(CouplingMask mask, boolean flipped, int d) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int n = 6;
            AffineCoupling coupling = (AffineCoupling) FlowTransformChecks.prepare(m,
                    () -> new AffineCoupling(mask, flipped, CouplingNets.mlp(d, 8, 2)), new Shape(d),
                    FlowTransformChecks.Options.defaults(), 29L + d);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(0, 1.5f, new Shape(n, d), ai.djl.ndarray.types.DataType.FLOAT64);
            double[] xs = x.toDoubleArray();
            double[] b = new double[d];
            for (int i = 0; i < d; i++) {
                boolean keep = mask == CouplingMask.CHECKERBOARD ? i % 2 == 0 : i < d / 2;
                b[i] = keep ^ flipped ? 1 : 0;
            }
            double[] alpha = coupling.getDirectParameters().get("scale").getArray().toDoubleArray();
            Block net = coupling.getChildren().values().get(0); // the coupling's only child
            NDArray bArray = m.create(b, new Shape(1, d));
            double[] out = net.forward(ps, new NDList(x.mul(bArray)), false).head().toDoubleArray();

            double[] y = new double[n * d];
            double[] logDet = new double[n];
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < d; i++) {
                    double sHat = out[e * 2 * d + i];
                    double tHat = out[e * 2 * d + d + i];
                    double s = (1 - b[i]) * alpha[i] * Math.tanh(sHat);
                    double t = (1 - b[i]) * tHat;
                    y[e * d + i] = xs[e * d + i] * Math.exp(s) + t;
                    logDet[e] += s;
                }
            }
            Transformed forward = coupling.forward(ps, x, false);
            assertArrayClose(y, forward.value().toDoubleArray(), "y");
            assertArrayClose(logDet, forward.logDet().toDoubleArray(), "log|det|");

            // the inverse of the written-out y, from the conditioner's output on b ⊙ y = b ⊙ x
            NDArray yArray = m.create(y, new Shape(n, d));
            Transformed inverse = coupling.inverse(ps, yArray, false);
            assertArrayClose(xs, inverse.value().toDoubleArray(), "inverse");
            assertArrayClose(xs, coupling.inverseValue(ps, yArray, false).toDoubleArray(), "inverseValue");
            double[] minusLogDet = new double[n];
            for (int e = 0; e < n; e++) {
                minusLogDet[e] = -logDet[e];
            }
            assertArrayClose(minusLogDet, inverse.logDet().toDoubleArray(), "inverse log|det|");
        }
    }

    private static void assertArrayClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }
}
