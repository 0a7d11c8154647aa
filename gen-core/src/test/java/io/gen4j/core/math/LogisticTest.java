package io.gen4j.core.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * {@link Logistic} against the definitions evaluated on the host in double precision: softplus as
 * {@code log1p(e^a)} (or {@code a + log1p(e^−a)} for positive a, the same number without overflow), its
 * derivative as the logistic function, and the cross-entropy as {@code −x log p − (1 − x) log(1 − p)}.
 */
class LogisticTest {

    /** Both sides of the fused kernel's threshold of 20, tiny and huge magnitudes, zero. */
    private static final double[] A = {-1000, -60, -21, -20.5, -3, -0.25, 0, 1e-6, 0.7, 5, 19.9, 20.5, 21, 25, 60, 1000};

    private static double softplus(double a) {
        return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
    }

    private static double sigmoid(double a) {
        return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
    }

    @Test
    void softplusAndItsGradientMatchTheDefinitionToTheTypesPrecision() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                NDArray a = manager.create(A).toType(type, false);
                a.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    y = Logistic.softplus(a);
                    gc.backward(y.sum());
                }
                assertEquals(type, y.getDataType());
                double[] got = y.toType(DataType.FLOAT64, false).toDoubleArray();
                double[] grad = a.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                double[] at = a.toType(DataType.FLOAT64, false).toDoubleArray();
                for (int i = 0; i < A.length; i++) {
                    double want = softplus(at[i]);
                    // a few ulps of max(value, 1), absolute below 1 (log(1 + e^a) of the composed form loses
                    // the relative precision of e^a < 1e-16 but none of the absolute); float64: the fused
                    // kernel's 1.2e-9 at 20.5 would fail, float32: its rounding passes
                    double tol = type == DataType.FLOAT64 ? 4 * Math.ulp(Math.max(want, 1.0))
                            : 2 * Math.ulp((float) Math.max(want, 1.0));
                    assertEquals(want, got[i], tol, type + " softplus(" + at[i] + ")");
                    double gradTol = type == DataType.FLOAT64 ? 1e-15 : 2e-7;
                    assertEquals(sigmoid(at[i]), grad[i], gradTol, type + " softplus'(" + at[i] + ")");
                }
            }
        }
    }

    @Test
    void crossEntropyFromLogitsIsTheBernoulliNegativeLogLikelihood() {
        double[] l = {-200, -4, -0.5, 0, 0.7, 3, 30, 200};
        double[] x = {1, 0.2, 1, 0.3, 0, 0.9, 0.5, 0};
        try (NDManager manager = NDManager.newBaseManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                double[] got = Logistic.bceWithLogits(manager.create(l).toType(type, false),
                        manager.create(x).toType(type, false)).toType(DataType.FLOAT64, false).toDoubleArray();
                for (int i = 0; i < l.length; i++) {
                    // log p and log(1 − p) written as logs of the logistic, exact for large |l| as well
                    double logP = l[i] >= 0 ? -Math.log1p(Math.exp(-l[i])) : l[i] - Math.log1p(Math.exp(l[i]));
                    double log1mP = logP - l[i];
                    double want = -x[i] * logP - (1 - x[i]) * log1mP;
                    double tol = type == DataType.FLOAT64 ? 1e-12 * Math.max(1, Math.abs(want))
                            : 4e-7 * Math.max(1, Math.abs(l[i]));
                    assertEquals(want, got[i], tol, type + " bce(" + l[i] + ", " + x[i] + ")");
                }
            }
        }
    }
}
