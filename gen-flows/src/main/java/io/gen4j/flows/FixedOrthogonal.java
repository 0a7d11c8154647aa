package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.Random;

/**
 * A fixed random rotation of vector data, {@code y = Q x} with Q orthogonal (drawn once from a
 * seed by Gram–Schmidt on a Gaussian matrix, then frozen and saved with the parameters):
 *
 * <pre>
 *   y = x Qᵀ,   x = y Q,   log|det Q| = 0
 * </pre>
 *
 * <p>Between coupling layers it mixes coordinates, so that consecutive couplings do not split the
 * space along the same axes; on 2-D data this is the cheapest way to let a RealNVP bend mass
 * diagonally (a fixed version of Glow's learned 1×1 convolution, Kingma &amp; Dhariwal 2018). It
 * costs no parameters to train and no log-det.
 */
public class FixedOrthogonal extends FlowTransform implements AffineVectorInverse {

    private static final byte VERSION = 1;

    private final long seed;
    private final Parameter rotation;

    /**
     * @param seed the seed of the rotation
     */
    public FixedOrthogonal(long seed) {
        super(VERSION);
        this.seed = seed;
        this.rotation = addParameter(Parameter.builder()
                .setName("rotation")
                .setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(false)
                .optInitializer(this::orthogonal)
                .build());
    }

    private NDArray orthogonal(NDManager manager, Shape shape, DataType dataType) {
        int d = Math.toIntExact(shape.get(0));
        double[][] q = randomOrthogonal(d, new Random(seed));
        double[] flat = new double[d * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(q[i], 0, flat, i * d, d);
        }
        return manager.create(flat, shape).toType(dataType, false);
    }

    /**
     * A random orthogonal matrix: Gram–Schmidt on the rows of a Gaussian matrix.
     *
     * @param d the size
     * @param random the source of randomness
     * @return Q with Q Qᵀ = I
     */
    static double[][] randomOrthogonal(int d, Random random) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            double norm;
            do {
                for (int j = 0; j < d; j++) {
                    q[i][j] = random.nextGaussian();
                }
                for (int k = 0; k < i; k++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += q[i][j] * q[k][j];
                    }
                    for (int j = 0; j < d; j++) {
                        q[i][j] -= dot * q[k][j];
                    }
                }
                double ss = 0;
                for (int j = 0; j < d; j++) {
                    ss += q[i][j] * q[i][j];
                }
                norm = Math.sqrt(ss);
            } while (norm < 1e-6);
            for (int j = 0; j < d; j++) {
                q[i][j] /= norm;
            }
        }
        return q;
    }

    @Override
    public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
        // x qᵀ as a linear map of x (x first: the result is in x's manager, no copy of q)
        return new Transformed(Linear.linear(x, ps.getValue(rotation, x.getDevice(), training)).head(), zeroLogDet(x));
    }

    @Override
    public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
        return new Transformed(inverseValue(ps, y, training), zeroLogDet(y));
    }

    @Override
    public NDArray inverseValue(ParameterStore ps, NDArray y, boolean training) {
        return y.matMul(ps.getValue(rotation, y.getDevice(), training));
    }

    @Override
    public AffineMap inverseMap(NDManager scratch) {
        // x = y·q
        NDArray q = AffineMap.float64(rotation.getArray(), scratch);
        NDArray zero = q.get(new NDIndex("0:1")).zerosLike(); // (1, D) on q's device, whatever the scratch's
        return AffineMap.full(q, zero);
    }

    @Override
    public PreparedInverse prepareInverse(NDManager manager, Shape example, DataType dataType) {
        try (NDManager scratch = manager.newSubManager()) {
            return inverseMap(scratch).prepare(manager, dataType);
        }
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 2) {
            throw new IllegalArgumentException("FixedOrthogonal expects vectors (N, D), got " + in);
        }
        rotation.setShape(new Shape(in.get(1), in.get(1)));
    }
}
