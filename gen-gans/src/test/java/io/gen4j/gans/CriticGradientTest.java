package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.gen4j.core.testing.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The explicit input gradient of {@link Discriminator} against autograd's first-order input
 * gradient; the gradient penalty against float64 finite differences of D; and the parameter
 * gradient of the penalty (a second derivative of D, reached by one ordinary backward through the
 * explicit gradient) against finite differences.
 */
class CriticGradientTest {

    NDManager m;

    @BeforeEach
    void setUp() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    static Stream<Arguments> critics() {
        long[] image = {1, 8, 8};
        return Stream.of(
                Arguments.of("mlp", Discriminator.mlp(new long[] {2}, 16, 2, false, Conditioning.NONE, 0), new long[] {2}, 0),
                Arguments.of("mlp-sn", Discriminator.mlp(new long[] {2}, 16, 2, true, Conditioning.NONE, 0), new long[] {2}, 0),
                Arguments.of("mlp-concat", Discriminator.mlp(new long[] {3}, 8, 2, false, Conditioning.CONCAT, 4), new long[] {3}, 4),
                Arguments.of("mlp-image", Discriminator.mlp(image, 8, 1, false, Conditioning.NONE, 0), image, 0),
                Arguments.of("dcgan", Discriminator.dcgan(image, 4, 2, false, Conditioning.NONE, 0), image, 0),
                Arguments.of("dcgan-sn-projection", Discriminator.dcgan(image, 4, 2, true, Conditioning.PROJECTION, 3), image, 3),
                Arguments.of("dcgan-concat", Discriminator.dcgan(new long[] {3, 8, 8}, 4, 2, false, Conditioning.CONCAT, 3),
                        new long[] {3, 8, 8}, 3));
    }

    private static Shape batch(int n, long[] one) {
        long[] s = new long[one.length + 1];
        s[0] = n;
        System.arraycopy(one, 0, s, 1, one.length);
        return new Shape(s);
    }

    private static void initialize(Discriminator d, NDManager m, DataType type, Shape x, int classes) {
        if (classes > 0) {
            d.initialize(m, type, x, new Shape(x.get(0)));
        } else {
            d.initialize(m, type, x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("critics")
    void explicitInputGradientEqualsAutograd(String name, Discriminator d, long[] one, int classes) {
        Engine.getInstance().setRandomSeed(3);
        Shape shape = batch(5, one);
        initialize(d, m, DataType.FLOAT32, shape, classes);
        NDArray x = m.randomNormal(shape);
        NDArray labels = classes > 0 ? m.create(new int[] {0, 1 % classes, 2 % classes, 0, 1 % classes}) : null;
        ParameterStore ps = new ParameterStore(m, false);
        // inference passes: spectral norm's u stays put, so both see the same weights
        float[] explicit = d.inputGradient(ps, x, labels, false).toFloatArray();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(d.score(ps, x, labels, false).sum());
        }
        float[] autograd = x.getGradient().toFloatArray();
        assertEquals(autograd.length, explicit.length);
        double scale = 0;
        for (float a : autograd) {
            scale = Math.max(scale, Math.abs(a));
        }
        assertTrue(scale > 1e-4, name + ": the gradient is trivially zero");
        for (int i = 0; i < autograd.length; i++) {
            assertEquals(autograd[i], explicit[i], 1e-5 * Math.max(1, scale), name + " at " + i);
        }
    }

    @Test
    void gradientPenaltyEqualsFiniteDifferences() {
        Discriminator d = Discriminator.mlp(new long[] {2}, 16, 2, false, Conditioning.NONE, 0);
        Engine.getInstance().setRandomSeed(5);
        d.initialize(m, DataType.FLOAT64, new Shape(6, 2));
        ParameterStore ps = new ParameterStore(m, false);
        NDArray points = m.randomNormal(0, 1.5f, new Shape(6, 2), DataType.FLOAT64);
        double lambda = 10;
        double expected = 0;
        double h = 1e-6;
        double[] p = points.toDoubleArray();
        for (int i = 0; i < 6; i++) {
            double norm2 = 0;
            for (int j = 0; j < 2; j++) {
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[2 * i + j] += h;
                minus[2 * i + j] -= h;
                double fPlus = d.score(ps, m.create(plus, new Shape(6, 2)), null, false).getDouble(i);
                double fMinus = d.score(ps, m.create(minus, new Shape(6, 2)), null, false).getDouble(i);
                double g = (fPlus - fMinus) / (2 * h);
                norm2 += g * g;
            }
            expected += (Math.sqrt(norm2) - 1) * (Math.sqrt(norm2) - 1);
        }
        expected = lambda * expected / 6;
        double actual = new GradientPenalty(lambda).penaltyAt(d, ps, points, null, false).getDouble();
        assertEquals(expected, actual, 1e-6 * Math.max(1, expected));
        assertTrue(expected > 1e-3, "penalty " + expected + " too small to test anything");
    }

    static Stream<Arguments> float64Critics() {
        return Stream.of(
                Arguments.of("mlp", Discriminator.mlp(new long[] {3}, 8, 2, false, Conditioning.NONE, 0), new long[] {3}, 0),
                Arguments.of("dcgan-projection",
                        Discriminator.dcgan(new long[] {1, 4, 4}, 2, 1, false, Conditioning.PROJECTION, 2),
                        new long[] {1, 4, 4}, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("float64Critics")
    void penaltyParameterGradientsMatchFiniteDifferences(String name, Discriminator d, long[] one, int classes) {
        Engine.getInstance().setRandomSeed(7);
        Shape shape = batch(4, one);
        initialize(d, m, DataType.FLOAT64, shape, classes);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray points = m.randomNormal(0, 1, shape, DataType.FLOAT64);
        NDArray labels = classes > 0 ? m.create(new int[] {0, 1, 1, 0}) : null;
        List<NDArray> tensors = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> p : d.getParameters()) {
            // the biases enter ∇_x D only through the piecewise-constant slopes: their gradient is 0
            // and autograd leaves it undefined, so only weights and embeddings are checked
            if (!p.getKey().endsWith("bias")) {
                tensors.add(p.getValue().getArray());
                names.add(p.getKey());
            }
        }
        GradientPenalty gp = new GradientPenalty(10);
        R1Penalty r1 = new R1Penalty(3);
        GradientCheck.Result r = GradientCheck.check(m,
                v -> gp.penaltyAt(d, ps, points, labels, true).add(r1.penalty(d, ps, points, points, labels, true))
                        .reshape(1),
                tensors, names, 12, 11);
        assertTrue(r.worstRelativeError() < 1e-5, name + ": " + r);
    }

    @Test
    void penaltyDoesNotNeedTheDoubleBackward() {
        // one ordinary backward of a critic's penalty fills the parameter gradients and nothing else
        Discriminator d = Discriminator.mlp(new long[] {2}, 8, 1, true, Conditioning.NONE, 0);
        d.initialize(m, DataType.FLOAT32, new Shape(4, 2));
        NDArray x = m.randomNormal(new Shape(4, 2));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(new R1Penalty(1).penalty(d, new ParameterStore(m, false), x, x, null, true));
        }
        assertTrue(!x.hasGradient(), "the input was never differentiated");
        double sum = 0;
        for (Pair<String, Parameter> p : d.getParameters()) {
            if (p.getValue().requiresGradient()) {
                sum += p.getValue().getArray().getGradient().abs().sum().getFloat();
            }
        }
        assertTrue(sum > 0, "no parameter gradient");
    }
}
