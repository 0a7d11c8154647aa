package io.gen4j.flows;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.gen4j.core.math.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Activation normalisation (Glow, Kingma &amp; Dhariwal 2018, §3.1): a per-channel affine map
 *
 * <pre>
 *   y = x ⊙ exp(logScale) + bias,    log|det ∂y/∂x| = H · W · Σ_c logScale_c
 * </pre>
 *
 * <p>with H·W = 1 for vectors (N, D). Its parameters are initialised <em>from data</em>: on the
 * first batch, {@code logScale = −log(std + ε)} and {@code bias = −mean · exp(logScale)}, so that
 * the output has zero mean and unit variance per channel; afterwards they are ordinary trained
 * parameters. Unlike batch norm it behaves the same in training and inference and is exactly
 * invertible.
 *
 * <p>The initialisation is explicit ({@link FlowTransform#initializeFromData}) and its flag is
 * saved with the parameters; calling forward before it throws.
 */
public class ActNorm extends FlowTransform implements AffineVectorInverse {

    private static final byte VERSION = 1;
    private static final double EPSILON = 1e-6;

    private final Parameter logScale;
    private final Parameter bias;
    private boolean dataInitialized;

    /** Creates an ActNorm whose parameters await {@link FlowTransform#initializeFromData}. */
    public ActNorm() {
        super(VERSION);
        logScale = addParameter(Parameter.builder()
                .setName("logScale").setType(Parameter.Type.WEIGHT).optInitializer(Initializer.ZEROS).build());
        bias = addParameter(Parameter.builder()
                .setName("bias").setType(Parameter.Type.BIAS).optInitializer(Initializer.ZEROS).build());
    }

    /** @return whether the data-dependent initialisation has run (or was loaded) */
    public boolean isDataInitialized() {
        return dataInitialized;
    }

    private void requireInit() {
        if (!dataInitialized) {
            throw new IllegalStateException(
                    "ActNorm is not data-initialised: call initializeFromData(batch) on the flow once before use");
        }
    }

    private static long spatial(NDArray x) {
        Shape s = x.getShape();
        return s.dimension() == 2 ? 1 : s.slice(2).size();
    }

    private static int[] reduceAxes(NDArray x) {
        int dims = x.getShape().dimension();
        int[] axes = new int[dims - 1];
        axes[0] = 0;
        for (int i = 2; i < dims; i++) {
            axes[i - 1] = i;
        }
        return axes;
    }

    private NDArray logDet(NDArray x, NDArray ls) {
        NDArray perExample = Scalars.times(ls.sum(), spatial(x));
        return x.getManager().ones(new Shape(x.getShape().get(0)), x.getDataType()).mul(perExample);
    }

    @Override
    public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
        requireInit();
        // ls is the first operand of exp, so it is copied into x's manager; b is a second operand
        NDArray ls = local(x, ps.getValue(logScale, x.getDevice(), training));
        return new Transformed(x.mul(ls.exp()).add(ps.getValue(bias, x.getDevice(), training)), logDet(x, ls));
    }

    @Override
    public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
        requireInit();
        NDArray ls = local(y, ps.getValue(logScale, y.getDevice(), training));
        return new Transformed(y.sub(ps.getValue(bias, y.getDevice(), training)).div(ls.exp()),
                logDet(y, ls).neg());
    }

    @Override
    public NDArray inverseValue(ParameterStore ps, NDArray y, boolean training) {
        requireInit();
        // (y − b) / exp(ls): one operation fewer than (y − b) ⊙ exp(−ls), the same number to within rounding.
        // exp(ls) lands in the parameter's manager and is moved to y's (a Java-side attach), where a local
        // handle to ls would cost one more engine call (about 1.5 % of RealNVP's 2-D sampler step)
        NDArray scale = ps.getValue(logScale, y.getDevice(), training).exp();
        scale.attach(y.getManager());
        return y.sub(ps.getValue(bias, y.getDevice(), training)).div(scale);
    }

    @Override
    public AffineMap inverseMap(NDManager scratch) {
        requireInit();
        if (logScale.getArray().getShape().dimension() != 2) {
            return null;
        }
        // x = (y − b) / exp(ls) = y ⊙ exp(−ls) + (−b ⊙ exp(−ls))
        NDArray scale = AffineMap.float64(logScale.getArray(), scratch).neg().exp();
        NDArray shift = AffineMap.float64(bias.getArray(), scratch).mul(scale).neg();
        return AffineMap.diagonal(scale, shift);
    }

    @Override
    public PreparedInverse prepareInverse(NDManager manager, Shape example, DataType dataType) {
        try (NDManager scratch = manager.newSubManager()) {
            AffineMap map = inverseMap(scratch);
            return map == null ? super.prepareInverse(manager, example, dataType) : map.prepare(manager, dataType);
        }
    }

    @Override
    protected Transformed dataInit(ParameterStore ps, NDArray x) {
        int[] axes = reduceAxes(x);
        Shape paramShape = logScale.getArray().getShape();
        long count = x.getShape().size() / x.getShape().get(1);
        NDArray mean = Scalars.dividedBy(x.sum(axes), count).reshape(paramShape);
        NDArray std = Scalars.dividedBy(x.sub(mean).square().sum(axes), count).sqrt().reshape(paramShape);
        NDArray ls = std.add(EPSILON).log().neg();
        NDArray b = mean.mul(ls.exp()).neg();
        ls.toType(logScale.getArray().getDataType(), false).copyTo(logScale.getArray());
        b.toType(bias.getArray().getDataType(), false).copyTo(bias.getArray());
        dataInitialized = true;
        return forward(ps, x, false);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape p = in.dimension() == 2 ? new Shape(1, in.get(1)) : new Shape(1, in.get(1), 1, 1);
        if (in.dimension() != 2 && in.dimension() != 4) {
            throw new IllegalArgumentException("ActNorm expects (N, D) or (N, C, H, W), got " + in);
        }
        logScale.setShape(p);
        bias.setShape(p);
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeBoolean(dataInitialized);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("Unsupported ActNorm version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        dataInitialized = is.readBoolean();
    }
}
