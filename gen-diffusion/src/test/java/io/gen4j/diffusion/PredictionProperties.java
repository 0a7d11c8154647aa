package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

class PredictionProperties {

    @Property(tries = 60, seed = "20261204")
    void everyConversionRoundTripsAndAgreesWithTheForwardProcess(
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double alphaBar,
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll Prediction from,
            @ForAll Prediction to) {
        try (NDManager m = NDManager.newBaseManager()) {
            java.util.Random r = new java.util.Random(seed);
            double[] x0v = new double[12];
            double[] ev = new double[12];
            for (int i = 0; i < 12; i++) {
                x0v[i] = r.nextGaussian();
                ev[i] = r.nextGaussian();
            }
            NDArray x0 = m.create(x0v, new Shape(3, 4));
            NDArray eps = m.create(ev, new Shape(3, 4));
            NDArray ab = m.create(alphaBar).toType(DataType.FLOAT64, false);
            NDArray xt = x0.mul(Math.sqrt(alphaBar)).add(eps.mul(Math.sqrt(1 - alphaBar)));

            NDArray out = from.target(x0, eps, ab);
            assertClose(x0, from.toX0(xt, out, ab));
            assertClose(eps, from.toEpsilon(xt, out, ab));
            assertClose(Prediction.VELOCITY.target(x0, eps, ab), from.toVelocity(xt, out, ab));
            NDArray converted = from.convert(xt, out, ab, to);
            assertClose(to.target(x0, eps, ab), converted);
            assertClose(out, to.convert(xt, converted, ab, from));
        }
    }

    /** A loss on the conversion of an output to its own parameterisation reaches the output: d/do Σ o² = 2 o. */
    @org.junit.jupiter.api.Test
    void theIdentityConversionsKeepTheGradient() {
        for (Prediction p : Prediction.values()) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray out = m.create(new double[] {0.5, -1.5, 2.0});
                NDArray xt = m.create(new double[] {0.1, 0.2, 0.3});
                NDArray ab = m.create(0.7);
                out.setRequiresGradient(true);
                try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    NDArray same = p.convert(xt, out, ab, p);
                    gc.backward(same.mul(same).sum());
                }
                org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, -3, 4},
                        out.getGradient().toDoubleArray(), 1e-9, p.toString());
            }
        }
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        double err = expected.sub(actual).abs().max().getDouble();
        assertTrue(err < 1e-9, "max error " + err);
    }
}
