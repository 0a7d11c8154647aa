package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.ConvTranspose2d;
import io.gen4j.core.nn.FanInUniform;
import io.gen4j.core.nn.LabelEmbedding;
import io.gen4j.core.nn.Mlp;

/**
 * A GAN generator {@code G(z)} or {@code G(z, y)}: latent codes (N, d) (and labels (N)) to examples
 * (N, data shape...). A conditional generator concatenates a learned label embedding to z
 * (Mirza &amp; Osindero 2014).
 *
 * <ul>
 *   <li>{@link #mlp}: ReLU MLP, tanh output for images (in [−1, 1]), linear output for vectors;
 *   <li>{@link #dcgan}: Radford et al. 2016: a dense projection of z to a (C_0, H/2^L, W/2^L) map,
 *       then L transposed convolutions 4×4, stride 2 (gen-core's {@link ConvTranspose2d}, DJL has
 *       none), BatchNorm and ReLU between them, tanh at the end.
 * </ul>
 */
public final class Generator extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block body;
    private final LabelEmbedding embedding;
    private final int latentDim;
    private final long[] dataShape;

    private Generator(Block body, int latentDim, long[] dataShape, Conditioning conditioning, int classes,
            int embeddingDim) {
        super(VERSION);
        if (latentDim < 1) {
            throw new IllegalArgumentException("latentDim must be >= 1, got " + latentDim);
        }
        if (conditioning != Conditioning.NONE && classes < 1) {
            throw new IllegalArgumentException("a conditional generator needs classes >= 1, got " + classes);
        }
        this.latentDim = latentDim;
        this.dataShape = dataShape.clone();
        this.embedding = conditioning == Conditioning.NONE ? null
                : addChildBlock("labelEmbedding", new LabelEmbedding(classes, embeddingDim, false));
        this.body = addChildBlock("body", body);
    }

    /**
     * @param latentDim d, at least 1
     * @param width hidden units, at least 1
     * @param depth hidden layers, at least 1
     * @param dataShape the shape of one example; 3 axes mean an image in [−1, 1] (tanh output)
     * @param conditioning {@link Conditioning#NONE} or a label-conditioned generator
     * @param classes number of classes (ignored when unconditional)
     * @return the uninitialised MLP generator
     */
    public static Generator mlp(int latentDim, int width, int depth, long[] dataShape, Conditioning conditioning,
            int classes) {
        Discriminator.checkSizes(width, depth);
        int[] hidden = new int[depth];
        java.util.Arrays.fill(hidden, width);
        long size = 1;
        for (long d : dataShape) {
            size *= d;
        }
        Mlp mlp = Mlp.builder().setHidden(hidden).setOutput((int) size).optActivation(Activation.RELU)
                .optOutputActivation(dataShape.length == 3 ? Activation.TANH : Activation.NONE).build();
        return new Generator(mlp, latentDim, dataShape, conditioning, classes, Math.min(width, 32));
    }

    /**
     * @param latentDim d, at least 1
     * @param width channels of the last hidden map; the first has width·2^(depth−1)
     * @param depth number of stride-2 transposed convolutions, at least 1
     * @param dataShape (C, H, W), H and W divisible by 2^depth
     * @param conditioning {@link Conditioning#NONE} or a label-conditioned generator
     * @param classes number of classes (ignored when unconditional)
     * @return the uninitialised DCGAN generator
     */
    public static Generator dcgan(int latentDim, int width, int depth, long[] dataShape, Conditioning conditioning,
            int classes) {
        Discriminator.checkSizes(width, depth);
        Discriminator.checkImage(dataShape, depth);
        long h0 = dataShape[1] >> depth;
        long w0 = dataShape[2] >> depth;
        int c0 = width << (depth - 1);
        Linear project = Linear.builder().setUnits(c0 * h0 * w0).build();
        project.setInitializer(FanInUniform.forWeight(), ai.djl.nn.Parameter.Type.WEIGHT);
        SequentialBlock net = new SequentialBlock()
                .add(project)
                .add(BatchNorm.builder().build())
                .add(relu())
                .add(new LambdaBlock(l -> new NDList(l.head().reshape(-1, c0, h0, w0)), "reshape"));
        for (int i = depth - 2; i >= 0; i--) {
            net.add(ConvTranspose2d.builder().setFilters(width << i).setKernelSize(4).optStride(2).optPadding(1)
                    .build());
            net.add(BatchNorm.builder().build());
            net.add(relu());
        }
        net.add(ConvTranspose2d.builder().setFilters((int) dataShape[0]).setKernelSize(4).optStride(2).optPadding(1)
                .build());
        net.add(new LambdaBlock(l -> new NDList(l.head().tanh()), "tanh"));
        return new Generator(net, latentDim, dataShape, conditioning, classes, 16);
    }

    private static LambdaBlock relu() {
        return new LambdaBlock(l -> new NDList(Activation.RELU.apply(l.head())), "relu");
    }

    /** @return d, the latent size */
    public int latentDim() {
        return latentDim;
    }

    /** @return whether the generator takes labels */
    public boolean isConditional() {
        return embedding != null;
    }

    /**
     * @param ps the parameter store
     * @param z latent codes (N, d)
     * @param labels labels (N) of a conditional generator, or null
     * @param training whether this is a training pass (BatchNorm's batch statistics)
     * @return examples (N, data shape...)
     */
    public NDArray generate(ParameterStore ps, NDArray z, NDArray labels, boolean training) {
        NDArray in = z;
        if (embedding != null) {
            if (labels == null) {
                throw new IllegalArgumentException("this generator is conditional: pass labels");
            }
            NDArray e = embedding.forward(ps, new NDList(labels), training).head();
            in = z.concat(e.toType(z.getDataType(), false), 1);
        }
        NDArray out = body.forward(ps, new NDList(in), training).head();
        long[] shape = new long[dataShape.length + 1];
        shape[0] = z.getShape().get(0);
        System.arraycopy(dataShape, 0, shape, 1, dataShape.length);
        return out.reshape(new Shape(shape));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        return new NDList(generate(ps, in.head(), in.size() > 1 ? in.get(1) : null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        long in = latentDim;
        if (embedding != null) {
            embedding.initialize(manager, dataType, new Shape(n));
            in += embedding.getOutputShapes(new Shape[] {new Shape(n)})[0].get(1);
        }
        body.initialize(manager, dataType, new Shape(n, in));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] shape = new long[dataShape.length + 1];
        shape[0] = inputShapes[0].get(0);
        System.arraycopy(dataShape, 0, shape, 1, dataShape.length);
        return new Shape[] {new Shape(shape)};
    }
}
