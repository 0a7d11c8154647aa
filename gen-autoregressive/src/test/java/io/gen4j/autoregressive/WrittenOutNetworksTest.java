package io.gen4j.autoregressive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.gen4j.autoregressive.AutoregressiveMasks.MaskType;
import io.gen4j.autoregressive.PixelCnnConfig.Architecture;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The gated PixelCNN and WaveNet equal their defining equations written out as plain loops in double
 * precision (full k×k masked convolutions, the gate on the two halves of the channels, the shift down
 * with a zero row, the one-hot input convolution as the column of the previous class, the log-softmax
 * at the class): the reference for the shortcuts of the implementation (convolving only a mask's
 * nonzero taps, one split for the gate, split + concatenation for the shift, picking the class's
 * log-probability by gather). WaveNet's parameters are float32 (its one-hot input is), so it is
 * compared to 1e-5; the PixelCNN runs in float64, compared to 1e-12.
 */
class WrittenOutNetworksTest {

    /** (N, C, H, W) as [n][c][i][j]. */
    /**
     * The masked k×k convolution with "same" zero padding, written out as loops in float64 (also {@code
     * MaskedConv2dTest}'s reference).
     */
    static double[][][][] maskedConv(double[][][][] x, Block conv, int cout, int k, float[] mask) {
        double[] w = param(conv, "weight");
        double[] b = param(conv, "bias");
        int n = x.length;
        int cin = x[0].length;
        int h = x[0][0].length;
        int wd = x[0][0][0].length;
        int p = k / 2;
        double[][][][] y = new double[n][cout][h][wd];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        double sum = b[o];
                        for (int c = 0; c < cin; c++) {
                            for (int a = 0; a < k; a++) {
                                for (int e = 0; e < k; e++) {
                                    int ii = i + a - p;
                                    int jj = j + e - p;
                                    double m = mask == null ? 1 : mask[a * k + e];
                                    if (ii >= 0 && ii < h && jj >= 0 && jj < wd) {
                                        sum += m * w[((o * cin + c) * k + a) * k + e] * x[s][c][ii][jj];
                                    }
                                }
                            }
                        }
                        y[s][o][i][j] = sum;
                    }
                }
            }
        }
        return y;
    }

    private static double[][][][] gate(double[][][][] pre) {
        int half = pre[0].length / 2;
        double[][][][] z = new double[pre.length][half][pre[0][0].length][pre[0][0][0].length];
        for (int s = 0; s < pre.length; s++) {
            for (int c = 0; c < half; c++) {
                for (int i = 0; i < z[0][0].length; i++) {
                    for (int j = 0; j < z[0][0][0].length; j++) {
                        z[s][c][i][j] = Math.tanh(pre[s][c][i][j]) / (1 + Math.exp(-pre[s][c + half][i][j]));
                    }
                }
            }
        }
        return z;
    }

    /** a + b, or a shifted down one row (zeros in row 0) when shift. */
    private static double[][][][] combine(double[][][][] a, double[][][][] b, boolean shiftB) {
        double[][][][] y = new double[a.length][a[0].length][a[0][0].length][a[0][0][0].length];
        for (int s = 0; s < a.length; s++) {
            for (int c = 0; c < a[0].length; c++) {
                for (int i = 0; i < a[0][0].length; i++) {
                    for (int j = 0; j < a[0][0][0].length; j++) {
                        double v = shiftB ? (i == 0 ? 0 : b[s][c][i - 1][j]) : b[s][c][i][j];
                        y[s][c][i][j] = a[s][c][i][j] + v;
                    }
                }
            }
        }
        return y;
    }

    private static double[][][][] relu(double[][][][] a) {
        double[][][][] y = new double[a.length][a[0].length][a[0][0].length][a[0][0][0].length];
        for (int s = 0; s < a.length; s++) {
            for (int c = 0; c < a[0].length; c++) {
                for (int i = 0; i < a[0][0].length; i++) {
                    for (int j = 0; j < a[0][0][0].length; j++) {
                        y[s][c][i][j] = Math.max(0, a[s][c][i][j]);
                    }
                }
            }
        }
        return y;
    }

    private static Block child(Block net, String name) {
        for (Pair<String, Block> c : net.getChildren()) {
            if (c.getKey().replaceFirst("^\\d+", "").equals(name)) {
                return c.getValue();
            }
        }
        throw new IllegalArgumentException("no child " + name);
    }

    private static double[] param(Block block, String name) {
        return block.getParameters().get(name).getArray().toType(DataType.FLOAT64, false).toDoubleArray();
    }

    @Test
    void gatedPixelCnnEqualsItsEquationsWrittenOut() {
        int hidden = 3;
        int layers = 2;
        int first = 5;
        int kernel = 3;
        int n = 2;
        int h = 5;
        int w = 6;
        PixelCnnConfig config = new PixelCnnConfig(h, w, Architecture.GATED, hidden, layers, first, kernel,
                PixelOutput.BERNOULLI, 1, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            PixelCnn net = new PixelCnn(config);
            net.initialize(manager, DataType.FLOAT64, new Shape(1, 1, h, w));
            Random rng = new Random(3);
            double[] pixels = new double[n * h * w];
            double[][][][] x = new double[n][1][h][w];
            for (int q = 0; q < pixels.length; q++) {
                pixels[q] = rng.nextInt(2);
                x[q / (h * w)][0][q / w % h][q % w] = 2 * pixels[q] - 1;
            }
            double[] got = net.conditionals(new ParameterStore(manager, false),
                    manager.create(pixels, new Shape(n, 1, h, w)), null, false).toDoubleArray();
            double[][][][] v = x;
            double[][][][] hs = x;
            for (int l = 0; l <= layers; l++) {
                int k = l == 0 ? first : kernel;
                MaskType type = l == 0 ? MaskType.A : MaskType.B;
                double[][][][] vPre = maskedConv(v, child(net, "vertical" + l), 2 * hidden, k,
                        AutoregressiveMasks.verticalStack(k, k));
                double[][][][] hPre = combine(maskedConv(hs, child(net, "horizontal" + l), 2 * hidden, k,
                        AutoregressiveMasks.horizontalStack(k, k, type)), maskedConv(combine(zeros(vPre), vPre, true),
                        child(net, "vToH" + l), 2 * hidden, 1, null), false);
                v = gate(vPre);
                double[][][][] out = maskedConv(gate(hPre), child(net, "hOut" + l), hidden, 1, null);
                hs = l == 0 ? out : combine(hs, out, false);
            }
            double[][][][] y = maskedConv(relu(maskedConv(relu(hs), child(net, "head1"), hidden, 1, null)),
                    child(net, "head2"), 1, 1, null);
            for (int q = 0; q < got.length; q++) {
                assertEquals(y[q / (h * w)][0][q / w % h][q % w], got[q], 1e-12, "pixel " + q);
            }
        }
    }

    private static double[][][][] zeros(double[][][][] a) {
        return new double[a.length][a[0].length][a[0][0].length][a[0][0][0].length];
    }

    @Test
    void waveNetLogProbsEqualItsEquationsWrittenOut() {
        // 2 stacks of dilations 1, 2 and 4, kernel 2 and 3
        for (int kernel : new int[] {2, 3}) {
            int r = 3;
            int skipCh = 4;
            int classes = 5;
            WaveNetConfig config = new WaveNetConfig(r, skipCh, 3, 2, kernel, classes);
            int n = 2;
            int length = 11;
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(12 + kernel);
                WaveNet net = new WaveNet(config);
                net.initialize(manager, DataType.FLOAT32, new Shape(1, classes, 1)); // logProbs' one-hot is float32
                MadeTest.scaleParameters(net, 2f);
                Random rng = new Random(4);
                int[] x = new int[n * length];
                for (int q = 0; q < x.length; q++) {
                    x[q] = rng.nextInt(classes);
                }
                double[] got = net.logProbs(new ParameterStore(manager, false), manager.create(x, new Shape(n, length)),
                        false).toType(DataType.FLOAT64, false).toDoubleArray();
                double[] wIn = param(child(net, "input"), "weight"); // (R, classes, 2): tap 0 sees x_{t−1}
                double[] bIn = param(child(net, "input"), "bias");
                for (int s = 0; s < n; s++) {
                    double[][] h = new double[length][r];
                    double[][] skip = new double[length][skipCh];
                    for (int t = 0; t < length; t++) {
                        for (int c = 0; c < r; c++) {
                            h[t][c] = bIn[c] + (t == 0 ? 0 : wIn[(c * classes + x[s * length + t - 1]) * 2]);
                        }
                    }
                    for (int l = 0; l < config.layers(); l++) {
                        int d = config.dilation(l);
                        double[] wd = param(child(net, "dilated" + l), "weight"); // (2R, R, k)
                        double[] bd = param(child(net, "dilated" + l), "bias");
                        double[] wr = param(child(net, "residual" + l), "weight");
                        double[] br = param(child(net, "residual" + l), "bias");
                        double[] ws = param(child(net, "skip" + l), "weight");
                        double[] bs = param(child(net, "skip" + l), "bias");
                        double[][] next = new double[length][r];
                        for (int t = 0; t < length; t++) {
                            double[] pre = new double[2 * r];
                            for (int o = 0; o < 2 * r; o++) {
                                pre[o] = bd[o];
                                for (int c = 0; c < r; c++) {
                                    for (int j = 0; j < kernel; j++) {
                                        int src = t - d * (kernel - 1 - j);
                                        pre[o] += src < 0 ? 0 : wd[(o * r + c) * kernel + j] * h[src][c];
                                    }
                                }
                            }
                            double[] z = new double[r];
                            for (int c = 0; c < r; c++) {
                                z[c] = Math.tanh(pre[c]) / (1 + Math.exp(-pre[c + r]));
                            }
                            for (int o = 0; o < r; o++) {
                                next[t][o] = h[t][o] + br[o];
                                for (int c = 0; c < r; c++) {
                                    next[t][o] += wr[o * r + c] * z[c];
                                }
                            }
                            for (int o = 0; o < skipCh; o++) {
                                skip[t][o] += bs[o];
                                for (int c = 0; c < r; c++) {
                                    skip[t][o] += ws[o * r + c] * z[c];
                                }
                            }
                        }
                        h = next;
                    }
                    double[] w1 = param(child(net, "head1"), "weight");
                    double[] b1 = param(child(net, "head1"), "bias");
                    double[] w2 = param(child(net, "head2"), "weight");
                    double[] b2 = param(child(net, "head2"), "bias");
                    for (int t = 0; t < length; t++) {
                        double[] y = new double[skipCh];
                        for (int o = 0; o < skipCh; o++) {
                            y[o] = b1[o];
                            for (int c = 0; c < skipCh; c++) {
                                y[o] += w1[o * skipCh + c] * Math.max(0, skip[t][c]);
                            }
                            y[o] = Math.max(0, y[o]);
                        }
                        double[] logits = new double[classes];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int o = 0; o < classes; o++) {
                            logits[o] = b2[o];
                            for (int c = 0; c < skipCh; c++) {
                                logits[o] += w2[o * skipCh + c] * y[c];
                            }
                            max = Math.max(max, logits[o]);
                        }
                        double z = 0;
                        for (double v : logits) {
                            z += Math.exp(v - max);
                        }
                        double expected = logits[x[s * length + t]] - max - Math.log(z);
                        assertEquals(expected, got[s * length + t], 1e-5, "kernel " + kernel + ", " + s + ", t " + t);
                    }
                }
            }
        }
    }
}
