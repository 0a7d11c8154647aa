package io.gen4j.autoregressive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.autoregressive.AutoregressiveMasks.MaskType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskedConv2dTest {

    /**
     * The convolution over the mask's bounding box equals the masked k×k convolution with "same"
     * zero padding, written out as loops, for every mask kind (boxes that touch and that do not touch
     * the centre, kernels 1, 3 and 5, mask A with no tap at all for k = 1); so does the {@link
     * MaskedConv2d#freeze frozen} form a sampler uses, also on a single row (the row-cached PixelCNN sampler's
     * input).
     */
    @Test
    void equalsTheMaskedConvolutionWrittenOut() {
        List<float[]> masks = new ArrayList<>();
        List<Integer> kernels = new ArrayList<>();
        for (int k : new int[] {1, 3, 5}) {
            for (MaskType t : MaskType.values()) {
                masks.add(AutoregressiveMasks.horizontalStack(k, k, t));
                kernels.add(k);
                masks.add(AutoregressiveMasks.raster2d(k, k, t));
                kernels.add(k);
            }
            masks.add(AutoregressiveMasks.verticalStack(k, k));
            kernels.add(k);
            masks.add(null);
            kernels.add(k);
        }
        int n = 2;
        int in = 3;
        int out = 4;
        int w = 6;
        for (int h : new int[] {5, 1}) {
            for (int m = 0; m < masks.size(); m++) {
                int k = kernels.get(m);
                float[] mask = masks.get(m);
                try (NDManager manager = NDManager.newBaseManager()) {
                    Engine.getInstance().setRandomSeed(m);
                    MaskedConv2d conv = new MaskedConv2d(in, out, k, mask);
                    conv.initialize(manager, DataType.FLOAT64, new Shape(1, in, 1, 1));
                    NDArray x = manager.randomUniform(-1f, 1f, new Shape(n, in, h, w)).toType(DataType.FLOAT64, false);
                    ParameterStore ps = new ParameterStore(manager, false);
                    double[] got = conv.apply(ps, x, false).toDoubleArray();
                    double[] frozen = conv.apply(conv.freeze(ps, manager), x).toDoubleArray();
                    double[] xv = x.toDoubleArray();
                    double[][][][] x4 = new double[n][in][h][w];
                    for (int s = 0; s < n; s++) {
                        for (int c = 0; c < in; c++) {
                            for (int i = 0; i < h; i++) {
                                System.arraycopy(xv, ((s * in + c) * h + i) * w, x4[s][c][i], 0, w);
                            }
                        }
                    }
                    double[][][][] want = WrittenOutNetworksTest.maskedConv(x4, conv, out, k, mask);
                    for (int s = 0; s < n; s++) {
                        for (int o = 0; o < out; o++) {
                            for (int i = 0; i < h; i++) {
                                for (int j = 0; j < w; j++) {
                                    int at = ((s * out + o) * h + i) * w + j;
                                    String where = "mask " + m + " (k = " + k + ", h = " + h + ") at " + s + ", " + o
                                            + ", " + i + ", " + j;
                                    assertEquals(want[s][o][i][j], got[at], 1e-12, where);
                                    assertEquals(want[s][o][i][j], frozen[at], 1e-12, "frozen, " + where);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The row form (one matrix product on a channels-last row) gives the convolution of that row, which the test
     * above checks against the written-out sum, for the horizontal stack's masks and 1×1 kernels; masks that reach
     * other rows or right of the centre have no row form.
     */
    @Test
    void rowFormEqualsTheConvolutionOfOneRow() {
        int n = 2;
        int in = 3;
        int out = 4;
        int w = 7;
        List<float[]> masks = new ArrayList<>();
        List<Integer> kernels = new ArrayList<>();
        for (int k : new int[] {1, 3, 5, 7}) {
            for (MaskType t : MaskType.values()) {
                masks.add(AutoregressiveMasks.horizontalStack(k, k, t));
                kernels.add(k);
            }
        }
        masks.add(null);
        kernels.add(1);
        for (int m = 0; m < masks.size(); m++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(100 + m);
                MaskedConv2d conv = new MaskedConv2d(in, out, kernels.get(m), masks.get(m));
                conv.initialize(manager, DataType.FLOAT64, new Shape(1, in, 1, 1));
                NDArray x = manager.randomUniform(-1f, 1f, new Shape(n, in, 1, w)).toType(DataType.FLOAT64, false);
                ParameterStore ps = new ParameterStore(manager, false);
                double[] want = conv.apply(ps, x, false).toDoubleArray(); // (N, out, 1, W)
                NDArray row = x.reshape(n, in, w).transpose(0, 2, 1);
                double[] got = MaskedConv2d.applyRow(conv.rowLinear(ps, manager), row).toDoubleArray(); // (N, W, out)
                for (int s = 0; s < n; s++) {
                    for (int o = 0; o < out; o++) {
                        for (int j = 0; j < w; j++) {
                            assertEquals(want[(s * out + o) * w + j], got[(s * w + j) * out + o], 1e-12,
                                    "mask " + m + " (k = " + kernels.get(m) + ") at " + s + ", " + o + ", " + j);
                        }
                    }
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            for (float[] mask : new float[][] {AutoregressiveMasks.verticalStack(3, 3),
                    AutoregressiveMasks.raster2d(3, 3, MaskType.B), null}) {
                MaskedConv2d conv = new MaskedConv2d(in, out, 3, mask);
                conv.initialize(manager, DataType.FLOAT64, new Shape(1, in, 1, 1));
                org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                        () -> conv.rowLinear(new ParameterStore(manager, false), manager));
            }
        }
    }
}
