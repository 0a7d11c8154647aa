package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.UpsampledConvolutionChecks;
import io.gen4j.core.testing.UpsampledConvolutionChecks.Case;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The convolution of a nearest-neighbour ×2 upsampling ({@link Conv2d#conv2dNearestUpsampled}, run as a
 * transposed convolution of the input for 3 × 3 kernels at stride 1 and padding 1) against the definition on the
 * host, with its gradients; which configurations take that form; and that the U-Net's layer leaves the model's
 * manager as it was.
 */
class NearestUpsampledConvolutionTest {

    /** The transposed form: every small size (1 × 1 included), rectangular inputs, float32 and float64. */
    @Property(tries = 30, seed = "31")
    void theTransposedFormIsTheDefinition(
            @ForAll @IntRange(min = 1, max = 6) int h,
            @ForAll @IntRange(min = 1, max = 5) int w,
            @ForAll @IntRange(min = 1, max = 4) int cIn,
            @ForAll @IntRange(min = 1, max = 4) int cOut,
            @ForAll boolean float64) {
        ConvGuard.prepare(); // the canary runs outside any GradientCollector
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            UpsampledConvolutionChecks.check(m, 2e-5, new Case(h, w, cIn, cOut, 3, 1, 1, float64));
        }
    }

    /** Kernels, strides and paddings the transposed form does not take compose: the same definition. */
    @Example
    void otherConfigurationsCompose() {
        ConvGuard.prepare();
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            UpsampledConvolutionChecks.check(m, 2e-5,
                    new Case(3, 4, 2, 3, 3, 1, 0, false),
                    new Case(3, 3, 2, 2, 3, 2, 1, true),
                    new Case(4, 3, 2, 3, 5, 1, 2, false),
                    new Case(3, 3, 3, 2, 1, 1, 0, true));
        }
    }

    @Example
    void takenForThreeByThreeKernelsAtStrideOneAndPaddingOne() {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray w3 = m.zeros(new Shape(4, 2, 3, 3));
            Shape one = new Shape(1, 1);
            assertTrue(Conv2d.takesUpsampledPhases(w3, one, one, one));
            assertFalse(Conv2d.takesUpsampledPhases(w3, new Shape(2, 2), one, one), "stride 2");
            assertFalse(Conv2d.takesUpsampledPhases(w3, one, new Shape(0, 0), one), "padding 0");
            assertFalse(Conv2d.takesUpsampledPhases(w3, one, one, new Shape(2, 2)), "dilation 2");
            assertFalse(Conv2d.takesUpsampledPhases(m.zeros(new Shape(4, 2, 3, 1)), one, one, one), "3 × 1");
            assertFalse(Conv2d.takesUpsampledPhases(m.zeros(new Shape(4, 2, 5, 5)), one, one, one), "5 × 5");
        }
    }

    /**
     * {@link NearestUpsampledConv2d} saves and loads the files of {@code SequentialBlock(Upsample2d, Conv2d)} both
     * ways, and computes what that block computes, with the same output shapes.
     */
    @Example
    void theBlockIsTheSequentialBlockItReplaces() throws Exception {
        ConvGuard.prepare();
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Shape in = new Shape(2, 3, 5, 4);
            SequentialBlock composed = new SequentialBlock()
                    .add(new Upsample2d(2, Upsample2d.Mode.NEAREST))
                    .add(Conv2d.builder().setFilters(4).setKernelSize(3).optPadding(1).build());
            NearestUpsampledConv2d fused =
                    new NearestUpsampledConv2d(Conv2d.builder().setFilters(4).setKernelSize(3).optPadding(1).build());
            composed.initialize(m, DataType.FLOAT32, in);
            fused.initialize(m, DataType.FLOAT32, in);
            assertEquals(composed.getOutputShapes(new Shape[] {in})[0], fused.getOutputShapes(new Shape[] {in})[0]);
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            composed.saveParameters(new DataOutputStream(saved));
            fused.loadParameters(m, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(in);
            NDArray expected = composed.forward(ps, new NDList(x), false).head();
            NDArray got = fused.forward(ps, new NDList(x), false).head();
            assertEquals(expected.getShape(), got.getShape());
            assertTrue(expected.sub(got).abs().max().getFloat() < 1e-5f, "the loaded block computes another function");
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            fused.saveParameters(new DataOutputStream(back));
            assertTrue(Arrays.equals(saved.toByteArray(), back.toByteArray()), "saved files differ");
        }
    }

    /**
     * The U-Net's up-sampling layer through {@link Conv2d#forwardNearestUpsampled}: the value of the block applied
     * to the upsampled input, and the kernel K = M·W·Mᵀ lands in the data's manager, pass after pass.
     */
    @Example
    void theLayerEqualsItsForwardOnTheUpsampledInputAndDoesNotGrowTheModelManager() {
        try (NDManager data = NDManager.newBaseManager(ai.djl.Device.cpu());
                NDManager model = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            ConvGuard.prepare();
            Conv2d conv = Conv2d.builder().setFilters(6).setKernelSize(3).optPadding(1).build();
            Shape in = new Shape(2, 5, 4, 4);
            conv.initialize(model, DataType.FLOAT32, new Shape(2, 5, 8, 8));
            ParameterStore ps = new ParameterStore(model, false);
            BlockChecks.assertPassesDoNotGrowModelManager(model, data, 3, scope -> {
                NDArray x = scope.randomNormal(in);
                x.setRequiresGradient(true);
                NDArray fused = conv.forwardNearestUpsampled(ps, x, true);
                NDArray composed = conv.forward(ps,
                        new NDList(Upsample2d.upsample(x, 2, Upsample2d.Mode.NEAREST)), true).head();
                assertEquals(composed.getShape(), fused.getShape());
                float gap = composed.sub(fused).abs().max().getFloat();
                assertTrue(gap < 1e-5f, "fused and composed differ by " + gap);
                return fused.sum();
            });
        }
    }
}
