package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.nn.GroupNorm;
import java.util.ArrayList;
import java.util.List;

/**
 * The convolutional conditioner of an image coupling layer (after RealNVP's ResNet, §4.1):
 *
 * <pre>
 *   h = Conv3×3(x)
 *   h = h + Conv3×3(SiLU(GN(Conv3×3(SiLU(GN(h))))))      × B residual blocks
 *   out = Conv3×3(SiLU(GN(h)))                           (N, 2C, H, W), zero-initialised
 * </pre>
 *
 * <p>All convolutions are gen4j's guarded ones. The group norms bring their affine parameters into
 * the input's manager before use, so that a per-step scope frees everything a call creates (gen-core's
 * {@code GroupNorm} block reshapes γ and β in the parameters' manager, which grows it by two arrays
 * per call).
 */
public class ResidualCouplingNet extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float EPSILON = 1e-5f;

    private final int channels;
    private final Conv2d input;
    private final List<Block[]> blocks = new ArrayList<>();
    private final ScopedGroupNorm norm;
    private final Conv2d output;

    /**
     * @param channels C, input channels (the output has 2C)
     * @param hidden hidden channels, divisible by {@code groups}
     * @param blocks residual blocks, at least 1
     * @param groups GroupNorm groups, at least 1
     */
    public ResidualCouplingNet(int channels, int hidden, int blocks, int groups) {
        super(VERSION);
        if (channels < 1 || blocks < 1 || groups < 1 || hidden < 1 || hidden % groups != 0) {
            throw new IllegalArgumentException("need channels, blocks, groups >= 1 and hidden divisible by groups, got "
                    + "channels=" + channels + ", hidden=" + hidden + ", blocks=" + blocks + ", groups=" + groups);
        }
        this.channels = channels;
        input = addChildBlock("input", conv(hidden));
        for (int i = 0; i < blocks; i++) {
            this.blocks.add(new Block[] {
                addChildBlock("res" + i + "_norm1", new ScopedGroupNorm(groups)),
                addChildBlock("res" + i + "_conv1", conv(hidden)),
                addChildBlock("res" + i + "_norm2", new ScopedGroupNorm(groups)),
                addChildBlock("res" + i + "_conv2", conv(hidden))
            });
        }
        norm = addChildBlock("norm", new ScopedGroupNorm(groups));
        output = addChildBlock("output", conv(2 * channels));
        CouplingNets.zeroLastLayer(output);
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelSize(3).optPadding(1).build();
    }

    private static NDArray apply(Block b, ParameterStore ps, NDArray x, boolean training) {
        return b.forward(ps, new NDList(x), training).head();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = apply(input, ps, inputs.head(), training);
        for (Block[] b : blocks) {
            NDArray r = apply(b[1], ps, Activation.SILU.apply(apply(b[0], ps, h, training)), training);
            r = apply(b[3], ps, Activation.SILU.apply(apply(b[2], ps, r, training)), training);
            h = h.add(r);
        }
        h = Activation.SILU.apply(apply(norm, ps, h, training));
        return output.forward(ps, new NDList(h), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        input.initialize(manager, dataType, in);
        Shape h = input.getOutputShapes(new Shape[] {in})[0];
        for (Block[] b : blocks) {
            for (Block block : b) {
                block.initialize(manager, dataType, h);
            }
        }
        norm.initialize(manager, dataType, h);
        output.initialize(manager, dataType, h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), 2L * channels, in.get(2), in.get(3))};
    }

    /** An affine GroupNorm whose γ and β are brought into the input's manager before use. */
    private static final class ScopedGroupNorm extends GroupNorm {
        private final int groups;

        ScopedGroupNorm(int groups) {
            super(groups, EPSILON, true);
            this.groups = groups;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            Parameter gamma = getParameters().get("gamma");
            Parameter beta = getParameters().get("beta");
            NDArray g = FlowTransform.local(x, ps.getValue(gamma, x.getDevice(), training));
            NDArray b = FlowTransform.local(x, ps.getValue(beta, x.getDevice(), training));
            return new NDList(GroupNorm.groupNorm(x, groups, g, b, EPSILON));
        }
    }
}
