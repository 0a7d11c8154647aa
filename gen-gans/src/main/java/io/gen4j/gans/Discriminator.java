package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.LabelEmbedding;
import java.util.ArrayList;
import java.util.List;

/**
 * A GAN discriminator (critic) made of {@link LinearMap}s with LeakyReLU(0.2) between them and a
 * dense head to one score, optionally class-conditioned, that also computes its exact input
 * gradient with first-order operations ({@link Critic}).
 *
 * <pre>
 *   h_0 = x  (with a label embedding concatenated for {@link Conditioning#CONCAT})
 *   a_l = A_l h_{l−1} + b_l,   h_l = LeakyReLU(a_l)            l = 1..L
 *   φ = flatten(h_L),   D(x, y) = w·φ + c  (+ e_y·φ for {@link Conditioning#PROJECTION})
 *   ∇_x D: g_L = w (+ e_y),   g_{l−1} = A_l^T (g_l ⊙ LeakyReLU'(a_l))
 * </pre>
 *
 * The slopes {@code LeakyReLU'(a) ∈ {0.2, 1}} are piecewise constant, so the expression for ∇_x D is
 * differentiable in the parameters with the right derivative almost everywhere; one ordinary backward
 * through it gives a penalty's parameter gradient (checked against finite differences).
 *
 * <p>{@link #mlp} builds the MLP critic, {@link #dcgan} the DCGAN one (Radford et al. 2016:
 * stride-2 4×4 convolutions, LeakyReLU(0.2), no pooling; no BatchNorm, which WGAN-GP forbids and
 * spectral norm replaces). Either can wrap every layer (head included) in {@link SpectralNorm}.
 * Forward: {@code (x)} or {@code (x, labels)} to scores (N).
 */
public final class Discriminator extends AbstractBlock implements Critic {

    private static final byte VERSION = 1;
    private static final float SLOPE = 0.2f;

    private final List<LinearMap> body = new ArrayList<>();
    private final LinearMap head;
    private final Conditioning conditioning;
    private final LabelEmbedding concatEmbedding;
    private final LabelEmbedding projection;
    private final long[] dataShape;

    private Discriminator(long[] dataShape, List<LinearMap> layers, boolean spectralNorm, Conditioning conditioning,
            int classes, int embedding) {
        super(VERSION);
        this.dataShape = dataShape.clone();
        this.conditioning = conditioning;
        if (conditioning != Conditioning.NONE && classes < 1) {
            throw new IllegalArgumentException("a conditional discriminator needs classes >= 1, got " + classes);
        }
        this.concatEmbedding = conditioning == Conditioning.CONCAT
                ? addChildBlock("labelEmbedding", new LabelEmbedding(classes, embedding, false)) : null;
        int i = 0;
        for (LinearMap layer : layers) {
            body.add(addChildBlock("layer" + i++, spectralNorm ? new SpectralNorm(layer) : layer));
        }
        DenseMap out = new DenseMap(1, true);
        this.head = addChildBlock("head", spectralNorm ? new SpectralNorm(out) : out);
        long features = featureSize(embedding);
        this.projection = conditioning == Conditioning.PROJECTION
                ? addChildBlock("projection", new LabelEmbedding(classes, (int) features, false)) : null;
    }

    /**
     * An MLP critic: {@code depth} dense layers of {@code width} units, each followed by
     * LeakyReLU(0.2); images are flattened.
     *
     * @param dataShape the shape of one example, e.g. {2} or {1, 28, 28}
     * @param width hidden units, at least 1
     * @param depth hidden layers, at least 1
     * @param spectralNorm wrap every layer in {@link SpectralNorm}
     * @param conditioning how labels enter
     * @param classes number of classes (ignored when unconditional)
     * @return the uninitialised critic
     */
    public static Discriminator mlp(long[] dataShape, int width, int depth, boolean spectralNorm,
            Conditioning conditioning, int classes) {
        checkSizes(width, depth);
        List<LinearMap> layers = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            layers.add(new DenseMap(width, true));
        }
        return new Discriminator(dataShape, layers, spectralNorm, conditioning, classes, Math.min(width, 32));
    }

    /**
     * The DCGAN critic: {@code depth} convolutions 4×4, stride 2, padding 1, with {@code width},
     * 2·width, 4·width, … filters, each followed by LeakyReLU(0.2), then a dense head.
     *
     * @param dataShape (C, H, W), H and W divisible by 2^depth
     * @param width filters of the first convolution, at least 1
     * @param depth number of stride-2 convolutions, at least 1
     * @param spectralNorm wrap every layer in {@link SpectralNorm}
     * @param conditioning how labels enter
     * @param classes number of classes (ignored when unconditional)
     * @return the uninitialised critic
     */
    public static Discriminator dcgan(long[] dataShape, int width, int depth, boolean spectralNorm,
            Conditioning conditioning, int classes) {
        checkSizes(width, depth);
        checkImage(dataShape, depth);
        List<LinearMap> layers = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            layers.add(new ConvMap(width << i, 4, 2, 1));
        }
        return new Discriminator(dataShape, layers, spectralNorm, conditioning, classes, 8);
    }

    static void checkSizes(int width, int depth) {
        if (width < 1 || depth < 1) {
            throw new IllegalArgumentException("width and depth must be >= 1, got " + width + " and " + depth);
        }
    }

    static void checkImage(long[] shape, int depth) {
        long unit = 1L << depth;
        if (shape.length != 3 || shape[1] % unit != 0 || shape[2] % unit != 0) {
            throw new IllegalArgumentException("DCGAN needs images (C, H, W) with H and W divisible by 2^depth = "
                    + unit + ", got " + java.util.Arrays.toString(shape));
        }
    }

    private Shape inputShape(long n, int embedding) {
        long[] s = new long[dataShape.length + 1];
        s[0] = n;
        System.arraycopy(dataShape, 0, s, 1, dataShape.length);
        if (conditioning == Conditioning.CONCAT) {
            s[1] += embedding;
        }
        return new Shape(s);
    }

    private long featureSize(int embedding) {
        Shape s = inputShape(1, embedding);
        for (LinearMap layer : body) {
            s = flatFor(layer, s);
            s = layer.getOutputShapes(new Shape[] {s})[0];
        }
        return s.size();
    }

    private static Shape flatFor(LinearMap layer, Shape s) {
        return layer.inputRank() == 2 && s.dimension() > 2 ? new Shape(s.get(0), s.size() / s.get(0)) : s;
    }

    /** @return how labels enter */
    public Conditioning conditioning() {
        return conditioning;
    }

    /** @return the layers before the head, in order (spectrally normalised ones are {@link SpectralNorm}) */
    public List<LinearMap> layers() {
        return List.copyOf(body);
    }

    /** @return the dense head to one score */
    public LinearMap head() {
        return head;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        int embedding = 0;
        if (concatEmbedding != null) {
            concatEmbedding.initialize(manager, dataType, new Shape(n));
            embedding = (int) concatEmbedding.getOutputShapes(new Shape[] {new Shape(n)})[0].get(1);
        }
        Shape s = inputShape(n, embedding);
        for (LinearMap layer : body) {
            s = flatFor(layer, s);
            layer.initialize(manager, dataType, s);
            s = layer.getOutputShapes(new Shape[] {s})[0];
        }
        head.initialize(manager, dataType, new Shape(n, s.size() / n));
        if (projection != null) {
            projection.initialize(manager, dataType, new Shape(n));
        }
    }

    @Override
    public NDArray score(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        return pass(ps, x, labels, training, false);
    }

    @Override
    public NDArray inputGradient(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        return pass(ps, x, labels, training, true);
    }

    private NDArray pass(ParameterStore ps, NDArray x, NDArray labels, boolean training, boolean gradient) {
        if (conditioning != Conditioning.NONE && labels == null) {
            throw new IllegalArgumentException("this discriminator is conditional: pass labels");
        }
        long n = x.getShape().get(0);
        NDArray h = x;
        if (concatEmbedding != null) {
            NDArray e = concatEmbedding.forward(ps, new NDList(labels), training).head();
            if (x.getShape().dimension() == 2) {
                h = x.concat(e.toType(x.getDataType(), false), 1);
            } else {
                Shape s = x.getShape();
                NDArray maps = x.getManager().ones(new Shape(n, e.getShape().get(1), s.get(2), s.get(3)), x.getDataType())
                        .mul(e.toType(x.getDataType(), false).reshape(n, -1, 1, 1));
                h = x.concat(maps, 1);
            }
        }
        Shape concatenated = h.getShape();
        List<Shape> inputShapes = new ArrayList<>();
        List<Shape> flatShapes = new ArrayList<>();
        List<NDArray> weights = new ArrayList<>();
        List<NDArray> pre = new ArrayList<>();
        for (LinearMap layer : body) {
            inputShapes.add(h.getShape());
            if (layer.inputRank() == 2 && h.getShape().dimension() > 2) {
                h = h.reshape(n, -1);
            }
            flatShapes.add(h.getShape());
            NDArray w = layer.weight(ps, h, training);
            NDArray a = layer.apply(h, w, layer.bias(ps, h, training));
            weights.add(w);
            pre.add(a);
            h = Activation.leakyRelu(a, SLOPE);
        }
        Shape featureShape = h.getShape();
        NDArray phi = h.reshape(n, -1);
        NDArray wHead = head.weight(ps, phi, training);
        NDArray score = head.apply(phi, wHead, head.bias(ps, phi, training)).reshape(n);
        NDArray e = null;
        if (projection != null) {
            e = projection.forward(ps, new NDList(labels), training).head().toType(phi.getDataType(), false);
            score = score.add(phi.mul(e).sum(new int[] {1}));
        }
        if (!gradient) {
            return score;
        }
        NDArray g = phi.zerosLike().add(wHead); // (N, F): ∂(w·φ)/∂φ
        if (e != null) {
            g = g.add(e);
        }
        g = g.reshape(featureShape);
        for (int i = body.size() - 1; i >= 0; i--) {
            NDArray a = pre.get(i);
            NDArray slope = Scalars.times(a.gt(0).toType(a.getDataType(), false), 1 - SLOPE).add(SLOPE);
            g = body.get(i).applyTranspose(g.mul(slope), weights.get(i), flatShapes.get(i)).reshape(inputShapes.get(i));
        }
        if (concatEmbedding != null) {
            g = g.get(new NDIndex(":, :" + x.getShape().get(1)));
        }
        if (!g.getShape().equals(x.getShape()) || !concatenated.equals(inputShapes.isEmpty() ? concatenated : inputShapes.get(0))) {
            throw new IllegalStateException("input gradient of shape " + g.getShape() + " for input " + x.getShape());
        }
        return g;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray labels = in.size() > 1 ? in.get(1) : null;
        return new NDList(score(ps, in.head(), labels, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }
}
