package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.nn.GroupNorm;
import io.gen4j.core.nn.ResidualBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The convolutional conditioner of an image coupling layer (after RealNVP's ResNet, §4.1):
 *
 * <pre>
 *   h = Conv3×3(x)
 *   h = ResidualBlock(h)                      × B  (gen-core's: h + Conv(SiLU(GN(Conv(SiLU(GN(h)))))))
 *   out = Conv3×3(SiLU(GN(h)))                (N, 2C, H, W), zero-initialised
 * </pre>
 *
 * <p>The output has 2C channels (log-scale and shift, {@link AffineCoupling}) unless another width is
 * asked for (C: the shift of an {@link AdditiveCoupling}).
 *
 * <p>All convolutions are gen4j's guarded ones. The output convolution starts at zero (see {@link
 * CouplingNets}), so a coupling using this net starts as the identity.
 */
public class ResidualCouplingNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int outputChannels;
    private final Conv2d input;
    private final List<ResidualBlock> blocks = new ArrayList<>();
    private final GroupNorm norm;
    private final Conv2d output;

    /**
     * @param channels C, input channels (the output has 2C)
     * @param hidden hidden channels, divisible by {@code groups}
     * @param blocks residual blocks, at least 1
     * @param groups GroupNorm groups, at least 1
     */
    public ResidualCouplingNet(int channels, int hidden, int blocks, int groups) {
        this(channels, 2 * channels, hidden, blocks, groups);
    }

    /**
     * @param channels C, input channels
     * @param outputChannels output channels, at least 1
     * @param hidden hidden channels, divisible by {@code groups}
     * @param blocks residual blocks, at least 1
     * @param groups GroupNorm groups, at least 1
     */
    public ResidualCouplingNet(int channels, int outputChannels, int hidden, int blocks, int groups) {
        super(VERSION);
        if (channels < 1 || outputChannels < 1 || blocks < 1 || groups < 1 || hidden < 1 || hidden % groups != 0) {
            throw new IllegalArgumentException("need channels, outputChannels, blocks, groups >= 1 and hidden divisible"
                    + " by groups, got channels=" + channels + ", outputChannels=" + outputChannels + ", hidden="
                    + hidden + ", blocks=" + blocks + ", groups=" + groups);
        }
        this.outputChannels = outputChannels;
        input = addChildBlock("input", conv(hidden));
        for (int i = 0; i < blocks; i++) {
            this.blocks.add(addChildBlock("res" + i, new ResidualBlock(hidden, groups, 0, 0f)));
        }
        norm = addChildBlock("norm", GroupNorm.of(groups));
        output = addChildBlock("output", conv(outputChannels));
        CouplingNets.zeroLastLayer(output);
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelSize(3).optPadding(1).build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = input.forward(ps, inputs, training).head();
        for (ResidualBlock b : blocks) {
            h = b.forward(ps, new NDList(h), training).head();
        }
        h = Activation.SILU.apply(norm.forward(ps, new NDList(h), training).head());
        return output.forward(ps, new NDList(h), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        input.initialize(manager, dataType, s);
        s = input.getOutputShapes(s);
        for (ResidualBlock b : blocks) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(s);
        }
        norm.initialize(manager, dataType, s);
        output.initialize(manager, dataType, s);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outputChannels, in.get(2), in.get(3))};
    }
}
