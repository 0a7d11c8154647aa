package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.sun.jna.Platform;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.kernels.StridedViews;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.runtime.ConvGuardMode;
import io.gen4j.pytorch.PtKernels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The memory layouts of {@link UNet}'s channels-last inference, read through libtorch's strides (gen-pytorch's
 * {@link StridedViews}; in gen-core's package for its package-private helpers).
 */
class ChannelsLastInferenceTest {

    private StridedViews views;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(5);
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        views = Kernels.forEngine(PtKernels.ENGINE).stridedViews().orElseThrow();
        ConvGuard.prepare();
    }

    /** {@link Conv2d#channelsLast}: the same values, stored (N, H, W, C); its gradient is the identity. */
    @Test
    void channelsLastCopiesIntoNhwcOrderWithTheSameValuesAndGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 4, 5));
            x.setRequiresGradient(true);
            NDArray w = m.randomNormal(x.getShape());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Conv2d.channelsLast(x);
                assertEquals(x.getShape(), y.getShape());
                assertArrayEquals(new long[] {4 * 5 * 3, 1, 5 * 3, 3}, views.denseStrides(y));
                assertArrayEquals(x.toFloatArray(), y.toFloatArray());
                gc.backward(y.mul(w).sum());
            }
            assertArrayEquals(w.toFloatArray(), x.getGradient().toFloatArray());
            NDArray back = Conv2d.contiguous(Conv2d.channelsLast(x.stopGradient()));
            assertArrayEquals(new long[] {3 * 4 * 5, 4 * 5, 5, 1}, views.denseStrides(back));
            assertArrayEquals(x.toFloatArray(), back.toFloatArray());
        }
    }

    /**
     * The U-Net stores only its input channels-last and relies on libtorch to write the first convolution's output
     * in the same order: also for one input channel, where {@link Conv2d#channelsLast} is a view whose strides are
     * the row-major ones too (libtorch then reads the array as channels-last).
     */
    @Test
    void aConvolutionOfAChannelsLastInputWritesChannelsLast() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int c : new int[] {1, 3}) {
                NDArray x = m.randomNormal(new Shape(2, c, 6, 5));
                NDArray w = m.randomNormal(new Shape(16, c, 3, 3));
                Shape one = new Shape(1, 1);
                NDArray y = Conv2d.conv2d(Conv2d.channelsLast(x), w, null, one, one, one);
                assertArrayEquals(new long[] {6 * 5 * 16, 1, 5 * 16, 16}, views.denseStrides(y), "channels " + c);
                assertClose(Conv2d.conv2d(x, w, null, one, one, one).toFloatArray(), y.toFloatArray());
            }
        }
    }

    /**
     * The U-Net's inference output is (N, C, H, W)-contiguous although the network ran channels-last (its training
     * output is too where the convolution guard pads nothing; with padded out-channels it is a channel slice of
     * the padded convolution); its up-sampling convolution keeps a channels-last input channels-last.
     */
    @Test
    void theInferenceOutputIsRowMajorAndTheUpsamplingKeepsChannelsLast() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet net = new UNet(UNetConfig.builder().setImageChannels(3).optBaseChannels(8)
                    .optChannelMultipliers(1, 2).optHeads(2).optGroups(4).optZeroInitOutput(false).build())
                    .setInferenceMemoryFormat(UNet.MemoryFormat.CHANNELS_LAST);
            NDArray x = m.randomNormal(new Shape(2, 3, 8, 8));
            NDArray t = m.create(new float[] {3, 700});
            net.initialize(m, DataType.FLOAT32, x.getShape(), t.getShape());
            ParameterStore ps = new ParameterStore(m, false);
            NDArray y = net.forward(ps, new NDList(x, t), false).head();
            assertArrayEquals(new long[] {3 * 64, 64, 8, 1}, views.denseStrides(y));
            Conv2d conv = Conv2d.builder().setFilters(6).setKernelSize(3).optPadding(1)
                    .build();
            NDArray h = Conv2d.channelsLast(m.randomNormal(new Shape(2, 4, 5, 5)));
            conv.initialize(m, DataType.FLOAT32, h.getShape());
            NDArray kept = conv.forwardNearestUpsampled(ps, h, false, true);
            assertArrayEquals(new long[] {10 * 10 * 6, 1, 10 * 6, 6}, views.denseStrides(kept));
            assertClose(conv.forwardNearestUpsampled(ps, h, false).toFloatArray(), kept.toFloatArray());
        }
    }

    /**
     * The forward runs in the memory format {@link UNet#runsChannelsLast} chose, read at the context seam (a block
     * that records the strides of the feature map it is given): a narrow network (8 channels, 2 per group) stays
     * (N, C, H, W) under AUTO, in training, and when asked to; it runs channels-last when asked to (checked where
     * the convolution guard pads no channels: its padded outputs are sliced, and what follows writes (N, C, H, W)).
     */
    @Test
    void theForwardRunsInTheChosenMemoryFormat() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<long[]> seen = new ArrayList<>();
            UNet net = new UNet(UNetConfig.builder().setImageChannels(1).optBaseChannels(8).optChannelMultipliers(1, 2)
                    .optAttentionLevels(1).optHeads(2).optGroups(4).optContextDim(4).build(),
                    (channels, config) -> new StrideRecorder(views, seen));
            NDArray x = m.randomNormal(new Shape(2, 1, 8, 8));
            NDArray t = m.create(new float[] {3, 700});
            NDArray context = m.randomNormal(new Shape(2, 3, 4));
            net.initialize(m, DataType.FLOAT32, x.getShape(), t.getShape(), context.getShape());
            ParameterStore ps = new ParameterStore(m, false);
            long[] rowMajor = {16 * 16, 16, 4, 1}; // (2, 16, 4, 4) at level 1
            long[] channelsLast = {16 * 16, 1, 4 * 16, 16};
            Object[][] cases = {
                {UNet.MemoryFormat.AUTO, false, rowMajor},
                {UNet.MemoryFormat.CONTIGUOUS, false, rowMajor},
                {UNet.MemoryFormat.CHANNELS_LAST, true, rowMajor},
                {UNet.MemoryFormat.CHANNELS_LAST, false, channelsLast},
            };
            for (Object[] c : cases) {
                if (c[2] == channelsLast) {
                    // the guard's channel padding slices the padded convolution's output, and what follows a
                    // slice writes (N, C, H, W): the layout is kept only where the guard pads nothing
                    assumeTrue(ConvGuard.mode() == ConvGuardMode.NONE, "channels-last is kept without padding only");
                }
                seen.clear();
                net.setInferenceMemoryFormat((UNet.MemoryFormat) c[0]).forward(ps, new NDList(x, t, context),
                        (Boolean) c[1]);
                assertEquals(4, seen.size(), "one block at level 1 down, the middle one, two at level 1 up");
                for (long[] strides : seen) {
                    assertArrayEquals((long[]) c[2], strides, c[0] + ", training " + c[1]);
                }
            }
        }
    }

    /** A context block that passes the feature map through and records its dense strides. */
    private static final class StrideRecorder extends AbstractBlock {
        private final StridedViews views;
        private final List<long[]> seen;

        StrideRecorder(StridedViews views, List<long[]> seen) {
            this.views = views;
            this.seen = seen;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            seen.add(views.denseStrides(inputs.head()));
            return new NDList(inputs.head());
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /** Element by element within 1e-5 relative (float32 sums in another order). */
    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "lengths");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5f * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    /**
     * The U-Net's up path in inference: the up-sampling convolution's output written by the concatenation with the
     * skip ({@link Conv2d#forwardNearestUpsampledConcat}, the strided view of the phases read by the
     * concatenation) is the concatenation of that convolution's output, bit for bit, stored channels-last, with
     * the same gradients for the input, the skip and the parameters; for a skip in either layout.
     */
    @Test
    void theUpsamplingConcatenationIsTheConcatenationOfTheUpsampledConvolution() {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d conv = Conv2d.builder().setFilters(6).setKernelSize(3).optPadding(1).build();
            NDArray h = Conv2d.channelsLast(m.randomNormal(new Shape(2, 4, 5, 5)));
            conv.initialize(m, DataType.FLOAT32, h.getShape());
            ParameterStore ps = new ParameterStore(m, false);
            for (boolean skipChannelsLast : new boolean[] {true, false}) {
                NDArray s0 = m.randomNormal(new Shape(2, 3, 10, 10));
                NDArray skip = skipChannelsLast ? Conv2d.channelsLast(s0) : s0;
                float[][] fused = upsampledConcat(conv, ps, h, skip, true);
                float[][] composed = upsampledConcat(conv, ps, h, skip, false);
                for (int k = 0; k < fused.length; k++) {
                    assertArrayEquals(composed[k], fused[k], "array " + k + ", skip channels-last " + skipChannelsLast);
                }
                NDArray y = conv.forwardNearestUpsampledConcat(ps, h, skip, false);
                assertEquals(new Shape(2, 9, 10, 10), y.getShape());
                assertArrayEquals(new long[] {10 * 10 * 9, 1, 10 * 9, 9}, views.denseStrides(y));
                // and the definition: the convolution of the upsampled input, then the concatenation
                Shape one = new Shape(1, 1);
                assertClose(Conv2d.conv2d(Upsample2d.upsample(h, 2, Upsample2d.Mode.NEAREST),
                        conv.getParameters().get("weight").getArray(), conv.getParameters().get("bias").getArray(),
                        one, one, one).concat(skip, 1).toFloatArray(), y.toFloatArray());
            }
        }
    }

    /**
     * The concatenation (fused or as two steps), then the gradients of a fixed weighting of it for h, the skip, the
     * weight and the bias; each array's values in that order.
     */
    private static float[][] upsampledConcat(Conv2d conv, ParameterStore ps, NDArray h, NDArray skip, boolean fused) {
        NDArray x = h.duplicate();
        NDArray s = skip.duplicate();
        x.setRequiresGradient(true);
        s.setRequiresGradient(true);
        for (String name : new String[] {"weight", "bias"}) { // gradients accumulate over backward passes
            NDArray g = conv.getParameters().get(name).getArray().getGradient();
            if (g != null) {
                g.muli(0);
            }
        }
        float[] y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = fused ? conv.forwardNearestUpsampledConcat(ps, x, s, true)
                    : conv.forwardNearestUpsampled(ps, x, true, true).concat(s, 1);
            NDArray weights = out.getManager().arange((float) out.getShape().size()).reshape(out.getShape())
                    .div(out.getShape().size()).sin();
            y = out.toFloatArray();
            gc.backward(out.mul(weights).sum());
        }
        return new float[][] {y, x.getGradient().toFloatArray(), s.getGradient().toFloatArray(),
            conv.getParameters().get("weight").getArray().getGradient().toFloatArray(),
            conv.getParameters().get("bias").getArray().getGradient().toFloatArray()};
    }
}
