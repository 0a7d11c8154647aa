package io.gen4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * The causality property of autoregressive models (gen4j's test kit, in gen-core's test-jar): the
 * output that predicts step k of the generation order depends only on inputs of steps &lt; k.
 * MADE, PixelCNN (both stacks) and WaveNet pass it; so must a user's own masked block.
 *
 * <p>The model is any function from a batch of one input to a batch of one output. Two arrays say
 * how the elements of the flattened input and output map to the generation order:
 * {@code inputStep[j]} is the step at which input element j is generated, {@code outputStep[i]} the
 * step whose conditional output element i parameterises (a PixelCNN's 256 logits of pixel p all
 * have the step of p; a model that predicts x_t from x_&lt;t has {@code outputStep = inputStep}).
 *
 * <ul>
 *   <li>{@link #assertCausalByGradient}: for every step k, the gradient of the sum of the outputs of
 *       step k with respect to the input is exactly zero at every input of step &gt;= k (a masked
 *       weight is an exact zero, so no tolerance is needed). It also returns which earlier steps
 *       each step does depend on, so a test can prove the absence of a blind spot.
 *   <li>{@link #assertCausalByPerturbation}: for every step k, replacing all inputs of step &gt;= k
 *       by other values leaves the outputs of step k unchanged. No gradients needed: it also works
 *       for models whose input is discrete (an embedding lookup, a μ-law class).
 * </ul>
 *
 * <pre>{@code
 * int[] order = ...;                                  // order[j] = step of input element j
 * CausalityChecks.Dependencies d = CausalityChecks.assertCausalByGradient(
 *         x -> made.conditionals(x), manager.randomUniform(0, 1, new Shape(1, 6)), order, outputSteps);
 * assertTrue(d.dependsOn(5, 0));                      // the last step sees the first
 * }</pre>
 */
public final class CausalityChecks {

    private CausalityChecks() {}

    /**
     * Which steps the outputs of each step were seen to depend on.
     *
     * @param matrix {@code matrix[k][j]}: an output of step k depends on an input of step j
     */
    public record Dependencies(boolean[][] matrix) {

        /**
         * @param outputStep k
         * @param inputStep j
         * @return whether some output of step k depends on some input of step j
         */
        public boolean dependsOn(int outputStep, int inputStep) {
            return matrix[outputStep][inputStep];
        }

        /**
         * @param outputStep k
         * @return how many earlier steps the outputs of step k depend on
         */
        public int countOf(int outputStep) {
            int c = 0;
            for (boolean b : matrix[outputStep]) {
                c += b ? 1 : 0;
            }
            return c;
        }

        /** @return the number of steps */
        public int steps() {
            return matrix.length;
        }
    }

    /**
     * Checks causality with one backward pass per step.
     *
     * @param model the function (it may allocate in the input's manager; the check closes that scope)
     * @param x one input, shape (1, ...), floating point (float64 avoids oneDNN entirely)
     * @param inputStep the generation step of every element of the flattened input
     * @param outputStep the step of every element of the flattened output
     * @return the observed dependencies
     */
    public static Dependencies assertCausalByGradient(UnaryOperator<NDArray> model, NDArray x, int[] inputStep,
            int[] outputStep) {
        int steps = checkSteps(x, inputStep, outputStep);
        boolean[][] depends = new boolean[steps][steps];
        NDManager parent = x.getManager();
        for (int k = 0; k < steps; k++) {
            if (!contains(outputStep, k)) {
                continue;
            }
            try (NDManager scope = parent.newSubManager()) {
                NDArray input = x.duplicate();
                input.attach(scope);
                input.setRequiresGradient(true);
                float[] select = new float[outputStep.length];
                for (int i = 0; i < select.length; i++) {
                    select[i] = outputStep[i] == k ? 1f : 0f;
                }
                double[] grad;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = model.apply(input);
                    checkOutput(y, outputStep);
                    NDArray mask = scope.create(select, y.getShape()).toType(y.getDataType(), false);
                    gc.backward(y.mul(mask).sum());
                }
                grad = input.getGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
                for (int j = 0; j < grad.length; j++) {
                    if (grad[j] != 0) {
                        if (inputStep[j] >= k) {
                            fail("the outputs of step " + k + " depend on input element " + j + " of step "
                                    + inputStep[j] + " (gradient " + grad[j] + "): the model is not causal");
                        }
                        depends[k][inputStep[j]] = true;
                    }
                }
            }
        }
        return new Dependencies(depends);
    }

    /**
     * Checks causality with two forward passes per step: the outputs of step k must be identical
     * (to {@code tolerance}) when every input of step &gt;= k is replaced by the value in {@code
     * other}.
     *
     * @param model the function
     * @param x one input, shape (1, ...)
     * @param other another input of the same shape and type, differing from x in every element
     * @param inputStep the generation step of every element of the flattened input
     * @param outputStep the step of every element of the flattened output
     * @param tolerance the largest absolute change allowed (0 for masked weights, which are exact zeros)
     */
    public static void assertCausalByPerturbation(UnaryOperator<NDArray> model, NDArray x, NDArray other,
            int[] inputStep, int[] outputStep, double tolerance) {
        int steps = checkSteps(x, inputStep, outputStep);
        assertEquals(x.getShape(), other.getShape(), "x and other must have the same shape");
        NDManager parent = x.getManager();
        double[] base;
        try (NDManager scope = parent.newSubManager()) {
            NDArray in = x.duplicate();
            in.attach(scope);
            NDArray y = model.apply(in);
            checkOutput(y, outputStep);
            base = y.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        }
        for (int k = 0; k < steps; k++) {
            if (!contains(outputStep, k)) {
                continue;
            }
            try (NDManager scope = parent.newSubManager()) {
                float[] keep = new float[inputStep.length];
                for (int j = 0; j < keep.length; j++) {
                    keep[j] = inputStep[j] < k ? 1f : 0f;
                }
                NDArray m = scope.create(keep, x.getShape()).toType(x.getDataType(), false);
                NDArray mixed = x.mul(m).add(other.mul(m.neg().add(1)));
                mixed.attach(scope);
                double[] y = model.apply(mixed).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .toDoubleArray();
                for (int i = 0; i < y.length; i++) {
                    if (outputStep[i] == k && !(Math.abs(y[i] - base[i]) <= tolerance)) {
                        fail("output element " + i + " of step " + k + " changed from " + base[i] + " to " + y[i]
                                + " when the inputs of steps >= " + k + " changed: the model is not causal");
                    }
                }
            }
        }
    }

    /**
     * The steps of a raster scan repeated over channels or logits: element j of a tensor of shape
     * (1, C, positions...) has step {@code j mod positions}.
     *
     * @param channels C
     * @param positions the number of positions (H·W, or L)
     * @return C·positions steps
     */
    public static int[] rasterSteps(int channels, int positions) {
        int[] s = new int[channels * positions];
        for (int j = 0; j < s.length; j++) {
            s[j] = j % positions;
        }
        return s;
    }

    private static int checkSteps(NDArray x, int[] inputStep, int[] outputStep) {
        if (x.getShape().dimension() < 1 || x.getShape().get(0) != 1) {
            throw new IllegalArgumentException("x must be a batch of one, shape (1, ...), got " + x.getShape());
        }
        if (inputStep.length != x.size()) {
            throw new IllegalArgumentException("inputStep must have one entry per input element (" + x.size()
                    + "), got " + inputStep.length);
        }
        int max = -1;
        for (int s : inputStep) {
            if (s < 0) {
                throw new IllegalArgumentException("steps must be >= 0, got " + s);
            }
            max = Math.max(max, s);
        }
        for (int s : outputStep) {
            if (s < 0) {
                throw new IllegalArgumentException("steps must be >= 0, got " + s);
            }
            max = Math.max(max, s);
        }
        return max + 1;
    }

    private static void checkOutput(NDArray y, int[] outputStep) {
        if (y.size() != outputStep.length) {
            throw new IllegalArgumentException("outputStep must have one entry per output element (" + y.size()
                    + " for output shape " + y.getShape() + "), got " + outputStep.length);
        }
    }

    private static boolean contains(int[] a, int v) {
        return Arrays.stream(a).anyMatch(s -> s == v);
    }
}
