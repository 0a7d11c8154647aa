package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The residual block of DDPM's U-Net (Ho et al. 2020, after Wide ResNet), optionally conditioned on
 * an embedding (time, class, or both summed):
 *
 * <pre>
 *   h = Conv3x3(SiLU(GN(x)))
 *   h = h + Linear(SiLU(emb))[:, :, None, None]        (when an embedding is given)
 *   h = Conv3x3(Dropout(SiLU(GN(h))))
 *   y = skip(x) + h,   skip = identity, or a 1x1 conv when channels change
 * </pre>
 *
 * <p>Input: {@code NDList(x)} or {@code NDList(x, emb)} with x (N, C_in, H, W) and emb (N, E).
 */
public class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int outChannels;
    private final int groups;
    private final int embeddingDim;
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear embProjection;
    private final GroupNorm norm2;
    private final Dropout dropout;
    private final Conv2d conv2;
    private Conv2d skip;

    /**
     * @param outChannels output channels, divisible by {@code groups}
     * @param groups GroupNorm groups (input channels must be divisible too)
     * @param embeddingDim size E of the conditioning embedding, or 0 for none
     * @param dropoutRate dropout probability in [0, 1)
     */
    public ResidualBlock(int outChannels, int groups, int embeddingDim, float dropoutRate) {
        super(VERSION);
        if (outChannels < 1 || outChannels % groups != 0) {
            throw new IllegalArgumentException(
                    "outChannels must be >= 1 and divisible by groups (" + groups + "), got " + outChannels);
        }
        if (embeddingDim < 0) {
            throw new IllegalArgumentException("embeddingDim must be >= 0, got " + embeddingDim);
        }
        if (!(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropoutRate);
        }
        this.outChannels = outChannels;
        this.groups = groups;
        this.embeddingDim = embeddingDim;
        norm1 = addChildBlock("norm1", GroupNorm.of(groups));
        conv1 = addChildBlock("conv1", Conv2d.builder().setFilters(outChannels).setKernelSize(3).optPadding(1).build());
        if (embeddingDim > 0) {
            embProjection = addChildBlock("emb", Linear.builder().setUnits(outChannels).build());
            embProjection.setInitializer(FanInUniform.forWeight(), ai.djl.nn.Parameter.Type.WEIGHT);
        } else {
            embProjection = null;
        }
        norm2 = addChildBlock("norm2", GroupNorm.of(groups));
        dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
        conv2 = addChildBlock("conv2", Conv2d.builder().setFilters(outChannels).setKernelSize(3).optPadding(1).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long inChannels = x.get(1);
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException(
                    "input channels (" + inChannels + ") must be divisible by groups (" + groups + ")");
        }
        if (embeddingDim > 0 && (inputShapes.length < 2 || inputShapes[1].get(1) != embeddingDim)) {
            throw new IllegalArgumentException("expected an embedding input (N, " + embeddingDim + ")");
        }
        if (inChannels != outChannels && skip == null) {
            skip = addChildBlock("skip", Conv2d.builder().setFilters(outChannels).setKernelSize(1).build());
        }
        Shape h = new Shape(x.get(0), outChannels, x.get(2), x.get(3));
        norm1.initialize(manager, dataType, x);
        conv1.initialize(manager, dataType, x);
        if (embProjection != null) {
            embProjection.initialize(manager, dataType, inputShapes[1]);
        }
        norm2.initialize(manager, dataType, h);
        dropout.initialize(manager, dataType, h);
        conv2.initialize(manager, dataType, h);
        if (skip != null) {
            skip.initialize(manager, dataType, x);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray h = conv1.forward(ps, new NDList(Activation.SILU.apply(norm1.forward(ps, new NDList(x), training).head())), training).head();
        if (embProjection != null) {
            if (inputs.size() < 2) {
                throw new IllegalArgumentException("this block needs an embedding input (N, " + embeddingDim + ")");
            }
            NDArray e = embProjection.forward(ps, new NDList(Activation.SILU.apply(inputs.get(1))), training).head();
            // in place: h is the convolution's own new output, which its backward does not read
            h = h.addi(e.reshape(e.getShape().get(0), outChannels, 1, 1));
        }
        h = Activation.SILU.apply(norm2.forward(ps, new NDList(h), training).head());
        h = dropout.forward(ps, new NDList(h), training).head();
        h = conv2.forward(ps, new NDList(h), training).head();
        NDArray s = skip == null ? x : skip.forward(ps, new NDList(x), training).head();
        return new NDList(h.addi(s)); // in place, as above
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), outChannels, x.get(2), x.get(3))};
    }
}
