package io.gen4j.core.nn;

import ai.djl.ndarray.NDList;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Nearest-neighbour ×2 upsampling followed by a {@link Conv2d}, the checkerboard-free up-sampling layer of image
 * decoders, computed without the upsampled array ({@link Conv2d#forwardNearestUpsampled}: for a 3 × 3 kernel at
 * stride 1 and padding 1, one transposed convolution of the input with about half the multiply-adds).
 *
 * <p>It is a {@link SequentialBlock} of {@code Upsample2d(2, NEAREST)} and the convolution, so its parameters,
 * their order, its output shapes and its saved parameter files are those of {@code new SequentialBlock().add(new
 * Upsample2d(2, Upsample2d.Mode.NEAREST)).add(conv)}: a model saved with either loads into the other.
 */
public class NearestUpsampledConv2d extends SequentialBlock {

    private final Conv2d conv;

    /**
     * @param conv the convolution applied to the upsampled input
     */
    public NearestUpsampledConv2d(Conv2d conv) {
        add(new Upsample2d(2, Upsample2d.Mode.NEAREST));
        add(conv);
        this.conv = conv;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(conv.forwardNearestUpsampled(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList data, NDList labels, PairList<String, Object> params) {
        return forwardInternal(ps, data, true, params);
    }
}
