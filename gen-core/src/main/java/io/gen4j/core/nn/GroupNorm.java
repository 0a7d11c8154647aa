package io.gen4j.core.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.gen4j.core.kernels.FusedGroupNorm;
import io.gen4j.core.kernels.Kernels;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Group normalisation (Wu &amp; He, 2018), which DJL lacks: channels are split into G groups and each
 * group of each example is normalised over its channels and spatial positions,
 *
 * <pre>
 *   y = (x − μ_g) / √(σ²_g + ε) · γ_c + β_c
 * </pre>
 *
 * <p>with the biased variance, a per-channel affine γ (ones) and β (zeros). Independent of the batch
 * size, which is why diffusion U-Nets use it. G = 1 is LayerNorm over (C, H, W); G = C is
 * InstanceNorm. The engine's fused group-norm kernel when its {@code Kernels} has one (gen-pytorch),
 * else a reshape to (N, G, −1), the engine's fused layer-norm kernel and the affine.
 */
public class GroupNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int groups;
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;

    /**
     * @param groups number of groups G; the channel count must be divisible by it
     * @param epsilon ε added to the variance, e.g. 1e-5
     * @param affine whether to learn γ and β
     */
    public GroupNorm(int groups, float epsilon, boolean affine) {
        super(VERSION);
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
        this.groups = groups;
        this.epsilon = epsilon;
        if (affine) {
            gamma = addParameter(Parameter.builder()
                    .setName("gamma").setType(Parameter.Type.GAMMA).optInitializer(Initializer.ONES).build());
            beta = addParameter(Parameter.builder()
                    .setName("beta").setType(Parameter.Type.BETA).optInitializer(Initializer.ZEROS).build());
        } else {
            gamma = null;
            beta = null;
        }
    }

    /**
     * @param groups number of groups (32 in DDPM's U-Net)
     * @return an affine GroupNorm with ε = 1e-5
     */
    public static GroupNorm of(int groups) {
        return new GroupNorm(groups, 1e-5f, true);
    }

    /**
     * The functional twin.
     *
     * @param x (N, C, ...)
     * @param groups number of groups, dividing C
     * @param gamma (C) or null
     * @param beta (C) or null
     * @param epsilon ε
     * @return the normalised array, same shape as {@code x}
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float epsilon) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long c = shape.get(1);
        if (c % groups != 0) {
            throw new IllegalArgumentException("channels (" + c + ") must be divisible by groups (" + groups + ")");
        }
        Optional<FusedGroupNorm> fused = Kernels.forArray(x).groupNorm();
        if (fused.isPresent()) {
            NDArray y = fused.get().apply(x, groups, gamma, beta, epsilon);
            if (y != null) {
                return y;
            }
        }
        long perGroup = shape.size() / (n * groups);
        NDArray grouped = x.reshape(n, groups, perGroup);
        Shape norm = new Shape(perGroup);
        NDArray ones = x.getManager().ones(norm, x.getDataType());
        NDArray zeros = x.getManager().zeros(norm, x.getDataType());
        NDArray y = grouped.getNDArrayInternal().layerNorm(grouped, norm, ones, zeros, epsilon).head().reshape(shape);
        if (gamma == null) {
            return y;
        }
        long[] affineShape = new long[shape.dimension()];
        java.util.Arrays.fill(affineShape, 1);
        affineShape[1] = c;
        Shape a = new Shape(affineShape);
        // reshape() of a parameter lands in the parameter's manager: move the views to the data's.
        NDArray g = gamma.reshape(a);
        NDArray b = beta.reshape(a);
        g.attach(x.getManager());
        b.attach(x.getManager());
        return y.mul(g).add(b);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long c = inputShapes[0].get(1);
        if (c % groups != 0) {
            throw new IllegalArgumentException("channels (" + c + ") must be divisible by groups (" + groups + ")");
        }
        if (gamma != null) {
            gamma.setShape(new Shape(c));
            beta.setShape(new Shape(c));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray g = gamma == null ? null : ps.getValue(gamma, x.getDevice(), training);
        NDArray b = beta == null ? null : ps.getValue(beta, x.getDevice(), training);
        return new NDList(groupNorm(x, groups, g, b, epsilon));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("Unsupported GroupNorm version " + loadVersion);
        }
        readInputShapes(is);
    }
}
