package io.gen4j.autoregressive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.autoregressive.AutoregressiveMasks.MaskType;
import org.junit.jupiter.api.Test;

class MaskedConv1dTest {

    /**
     * The convolution over the kept taps equals the masked, left-padded k-tap causal convolution
     * written out as loops: masks A, B, none and one with a hole, kernels 1 to 3, dilations 1 and 2,
     * and lengths down to 1, where mask A's only kept tap reaches no input at all.
     */
    @Test
    void equalsTheCausalConvolutionWrittenOut() {
        int n = 2;
        int in = 3;
        int out = 4;
        int seed = 0;
        for (int k = 1; k <= 3; k++) {
            float[][] masks = {AutoregressiveMasks.causal1d(k, MaskType.A), AutoregressiveMasks.causal1d(k, MaskType.B),
                null, k == 3 ? new float[] {1f, 0f, 1f} : null};
            for (float[] mask : masks) {
                for (int d = 1; d <= 2; d++) {
                    for (int length : new int[] {1, 2, 5}) {
                        try (NDManager manager = NDManager.newBaseManager()) {
                            Engine.getInstance().setRandomSeed(seed++);
                            MaskedConv1d conv = new MaskedConv1d(in, out, k, d, mask);
                            conv.initialize(manager, DataType.FLOAT64, new Shape(1, in, 1));
                            NDArray x = manager.randomUniform(-1f, 1f, new Shape(n, in, length))
                                    .toType(DataType.FLOAT64, false);
                            double[] got = conv.apply(new ParameterStore(manager, false), x, false).toDoubleArray();
                            double[] w = conv.getParameters().get("weight").getArray().toDoubleArray();
                            double[] b = conv.getParameters().get("bias").getArray().toDoubleArray();
                            double[] xv = x.toDoubleArray();
                            for (int s = 0; s < n; s++) {
                                for (int o = 0; o < out; o++) {
                                    for (int t = 0; t < length; t++) {
                                        double sum = b[o];
                                        for (int c = 0; c < in; c++) {
                                            for (int j = 0; j < k; j++) {
                                                int src = t - d * (k - 1 - j); // tap k − 1 is time t
                                                double m = mask == null ? 1 : mask[j];
                                                if (src >= 0) {
                                                    sum += m * w[(o * in + c) * k + j]
                                                            * xv[(s * in + c) * length + src];
                                                }
                                            }
                                        }
                                        assertEquals(sum, got[(s * out + o) * length + t], 1e-12, "k " + k + ", d "
                                                + d + ", L " + length + ", mask " + java.util.Arrays.toString(mask)
                                                + " at " + s + ", " + o + ", " + t);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
