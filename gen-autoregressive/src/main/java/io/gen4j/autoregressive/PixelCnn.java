package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.autoregressive.AutoregressiveMasks.MaskType;
import io.gen4j.autoregressive.PixelCnnConfig.Architecture;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.nn.LabelEmbedding;
import java.util.ArrayList;
import java.util.List;

/**
 * PixelCNN for one-channel images: p(x) = Π_i p(x_i | x_&lt;i) over pixels in raster order, every
 * conditional from one pass of masked convolutions ({@link MaskedConv2d}, masks of {@link
 * AutoregressiveMasks}).
 *
 * <ul>
 *   <li>{@link Architecture#MASKED}: a k₀×k₀ mask-A convolution, then {@code layers} residual
 *       ReLU + k×k mask-B convolutions (van den Oord et al. 2016a). Stacking raster masks leaves a
 *       blind spot: pixels to the upper right that no layer ever reaches.
 *   <li>{@link Architecture#GATED}: a vertical stack v (all taps in the rows up to the current one)
 *       and a horizontal stack h (the current row up to the current pixel), joined by a 1×1
 *       convolution of v shifted down one row; each layer computes y = tanh(W_f∗x + V_f c) ⊙
 *       σ(W_g∗x + V_g c) in both stacks, h with a residual connection (van den Oord et al. 2016b).
 *       Together the stacks see every pixel above and to the left: no blind spot.
 * </ul>
 *
 * <p>Class conditioning adds a learned embedding of the label (2·hidden numbers per layer, c above)
 * to every layer's pre-activations. A head (ReLU, 1×1, ReLU, 1×1) gives the {@link PixelOutput}'s
 * parameters. The input is the image mapped to [−1, 1].
 */
public final class PixelCnn extends AbstractBlock {

    private static final byte VERSION = 1;

    private final PixelCnnConfig config;
    private final List<MaskedConv2d> vertical = new ArrayList<>();
    private final List<MaskedConv2d> horizontal = new ArrayList<>();
    private final List<MaskedConv2d> verticalToHorizontal = new ArrayList<>();
    private final List<MaskedConv2d> horizontalOut = new ArrayList<>();
    private final List<LabelEmbedding> embeddings = new ArrayList<>();
    private final MaskedConv2d head1;
    private final MaskedConv2d head2;

    /**
     * @param config the hyperparameters
     */
    public PixelCnn(PixelCnnConfig config) {
        super(VERSION);
        this.config = config;
        int h = config.hidden();
        boolean gated = config.architecture() == Architecture.GATED;
        int width = gated ? 2 * h : h;
        for (int l = 0; l <= config.layers(); l++) {
            int k = l == 0 ? config.firstKernel() : config.kernel();
            int in = l == 0 ? 1 : h;
            MaskType type = l == 0 ? MaskType.A : MaskType.B;
            if (gated) {
                vertical.add(addChildBlock("vertical" + l, new MaskedConv2d(in, width, k,
                        AutoregressiveMasks.verticalStack(k, k))));
                horizontal.add(addChildBlock("horizontal" + l, new MaskedConv2d(in, width, k,
                        AutoregressiveMasks.horizontalStack(k, k, type))));
                verticalToHorizontal.add(addChildBlock("vToH" + l, new MaskedConv2d(width, width, 1, null)));
                horizontalOut.add(addChildBlock("hOut" + l, new MaskedConv2d(h, h, 1, null)));
            } else {
                horizontal.add(addChildBlock("conv" + l, new MaskedConv2d(in, width, k,
                        AutoregressiveMasks.raster2d(k, k, type))));
            }
            if (config.classes() > 0) {
                embeddings.add(addChildBlock("label" + l, new LabelEmbedding(config.classes(), width, false)));
            }
        }
        head1 = addChildBlock("head1", new MaskedConv2d(h, h, 1, null));
        head2 = addChildBlock("head2", new MaskedConv2d(h, config.output().channels(config.mixtures()), 1, null));
    }

    /** @return the hyperparameters */
    public PixelCnnConfig config() {
        return config;
    }

    /**
     * The parameters of every pixel's conditional.
     *
     * @param ps the parameter store
     * @param x images (N, 1, H', W) in [0, 1] (H' may be a band of rows, see {@link
     *     PixelCnnModel#sample})
     * @param labels (N) int labels, or null for an unconditional model
     * @param training whether in training
     * @return (N, P, H', W)
     */
    public NDArray conditionals(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        if (x.getShape().dimension() != 4 || x.getShape().get(1) != 1) {
            throw new IllegalArgumentException("x must have shape (N, 1, H, W), got " + x.getShape());
        }
        if ((labels != null) != (config.classes() > 0)) {
            throw new IllegalArgumentException(config.classes() > 0 ? "this PixelCNN is class-conditional: pass labels"
                    : "this PixelCNN is unconditional: labels must be null");
        }
        NDArray input = Scalars.times(x, 2).sub(1);
        NDArray out = config.architecture() == Architecture.GATED ? gated(ps, input, labels, training)
                : masked(ps, input, labels, training);
        NDArray y = head1.apply(ps, out.getNDArrayInternal().relu(), training).getNDArrayInternal().relu();
        return head2.apply(ps, y, training);
    }

    private NDArray condition(ParameterStore ps, int layer, NDArray labels, boolean training) {
        if (labels == null) {
            return null;
        }
        NDArray e = embeddings.get(layer).forward(ps, new NDList(labels), training).head();
        return e.reshape(e.getShape().get(0), e.getShape().get(1), 1, 1);
    }

    private NDArray masked(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        NDArray h = null;
        for (int l = 0; l <= config.layers(); l++) {
            NDArray in = l == 0 ? x : h.getNDArrayInternal().relu();
            NDArray y = horizontal.get(l).apply(ps, in, training);
            NDArray c = condition(ps, l, labels, training);
            if (c != null) {
                y = y.add(c);
            }
            h = l == 0 ? y : h.add(y);
        }
        return h;
    }

    private NDArray gated(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        NDArray v = x;
        NDArray h = x;
        for (int l = 0; l <= config.layers(); l++) {
            NDArray c = condition(ps, l, labels, training);
            NDArray vPre = vertical.get(l).apply(ps, v, training);
            // v at row i knows rows <= i: shifted down one row it knows rows < i, safe for h at row i
            NDArray hPre = horizontal.get(l).apply(ps, h, training)
                    .add(verticalToHorizontal.get(l).apply(ps, shiftDown(vPre), training));
            if (c != null) {
                vPre = vPre.add(c);
                hPre = hPre.add(c);
            }
            v = gate(vPre);
            NDArray hOut = horizontalOut.get(l).apply(ps, gate(hPre), training);
            h = l == 0 ? hOut : h.add(hOut);
        }
        return h;
    }

    /**
     * tanh(a) ⊙ σ(b) of the two halves of the channels. One split rather than two slices: the
     * gradient of a split is one concatenation, that of each slice a zero-filled array of the whole
     * input plus a copy, and the two are then added (docs/performance.md, session 8).
     */
    private static NDArray gate(NDArray pre) {
        NDList halves = pre.split(2, 1);
        return halves.get(0).tanh().mul(halves.get(1).getNDArrayInternal().sigmoid());
    }

    /**
     * x shifted down one row, zeros in row 0: a row of zeros above the first H − 1 rows, split off as
     * a view. Padding and then indexing (":, :, 0:H, :") gives the same array but costs, backward, a
     * zero-filled array of the padded size and a copy per index part (docs/performance.md, session 8).
     */
    private static NDArray shiftDown(NDArray x) {
        Shape s = x.getShape();
        long rows = s.get(2);
        if (rows == 1) {
            return x.zerosLike();
        }
        NDArray above = x.split(new long[] {rows - 1}, 2).get(0);
        return x.getManager().zeros(new Shape(s.get(0), s.get(1), 1, s.get(3)), x.getDataType()).concat(above, 2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(conditionals(ps, inputs.head(), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, new Shape(1, 1, 1, 1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), config.output().channels(config.mixtures()), in.get(2), in.get(3))};
    }
}
