package io.gen4j.flows;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.model.Invertible;
import io.gen4j.core.nn.Local;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Base of every gen4j flow transform: a DJL block (so that its parameters train, save and load)
 * that is also an {@link Invertible} bijection returning {@code (output, log|det J|)} in both
 * directions, as in nflows.
 *
 * <p>The direction convention is data → latent: {@code forward(x) = (z, log|det ∂z/∂x|)}, so that a
 * flow's exact log-likelihood is the change of variables
 *
 * <pre>
 *   log p_X(x) = log p_Z(f(x)) + log|det ∂f/∂x|.
 * </pre>
 *
 * <p>As a {@link ai.djl.nn.Block}, {@code forward(ps, NDList(x), training)} returns {@code NDList(y,
 * logDet)} with logDet of shape (N). The {@link Invertible} methods use a non-copying {@link
 * ParameterStore} in the input's manager, so they are differentiable and can be trained inside a
 * {@link ai.djl.training.GradientCollector}.
 *
 * <p>Transforms whose parameters are set from data (ActNorm) override {@link #dataInit}; call
 * {@link #initializeFromData(NDArray)} once on a batch before training. Every op whose first
 * operand is a parameter is redirected to the input's manager, so per-step scopes release
 * everything a call creates.
 *
 * <p>A transform of your own (an element-wise bijection, a new coupling for a {@link
 * CouplingFactory}) extends this class, implements the two directions (and {@link #outputShape} when
 * it changes the shape) and is checked with {@code
 * io.gen4j.flows.testing.FlowTransformChecks.assertContract(MyTransform::new, exampleShape)} from
 * gen-flows' test-jar: round trip, cancelling log-dets and the log-det against a brute-force
 * Jacobian (docs/extending.md).
 */
public abstract class FlowTransform extends AbstractBlock implements Invertible {

    /**
     * @param version the block's serialisation version
     */
    protected FlowTransform(byte version) {
        super(version);
    }

    /**
     * The data → latent direction.
     *
     * @param ps the parameter store
     * @param x input (N, ...)
     * @param training whether the call is part of training
     * @return output and log|det ∂y/∂x| of shape (N), in the manager of {@code x}
     */
    public abstract Transformed forward(ParameterStore ps, NDArray x, boolean training);

    /**
     * The latent → data direction.
     *
     * @param ps the parameter store
     * @param y output of {@link #forward}
     * @param training whether the call is part of training
     * @return input and log|det ∂x/∂y| of shape (N), in the manager of {@code y}
     */
    public abstract Transformed inverse(ParameterStore ps, NDArray y, boolean training);

    /**
     * The latent → data direction without its log-determinant, which sampling does not need. The default
     * is {@code inverse(ps, y, training).value()}; transforms override it to skip the log-determinant's
     * operations. An override must return exactly that value ({@code FlowTransformChecks} compares them).
     *
     * @param ps the parameter store
     * @param y output of {@link #forward}
     * @param training whether the call is part of training
     * @return the input, in the manager of {@code y}
     */
    public NDArray inverseValue(ParameterStore ps, NDArray y, boolean training) {
        return inverse(ps, y, training).value();
    }

    /**
     * {@link #inverseValue(ParameterStore, NDArray, boolean)} outside training, with the parameters as they
     * are.
     *
     * @param y output of {@link #forward}
     * @return the input, in the manager of {@code y}
     */
    public NDArray inverseValue(NDArray y) {
        return inverseValue(new ParameterStore(y.getManager(), false), y, false);
    }

    /**
     * This transform's inverse prepared for repeated evaluation with the parameters as they are now
     * ({@link PreparedInverse}: a snapshot; prepare again after the parameters change). The default
     * precomputes nothing and evaluates {@link #inverseValue(NDArray)}; {@link CompositeTransform}, {@link
     * ActNorm}, {@link FixedOrthogonal} and {@link AffineCoupling} (with an {@link io.gen4j.core.nn.Mlp}
     * conditioner, on vectors) fold constants. An override must agree with {@code inverseValue} to within
     * rounding ({@code FlowTransformChecks} compares them).
     *
     * @param manager owns the precomputed arrays (close it to free them); must outlive every use
     * @param example the shape of one input of the forward direction, without the batch axis
     * @param dataType the data's type
     * @return the prepared inverse
     */
    public PreparedInverse prepareInverse(NDManager manager, Shape example, DataType dataType) {
        return this::inverseValue;
    }

    /**
     * The shape of one output for one input, both with the batch axis; the default keeps the shape.
     *
     * @param input input shape (N, ...)
     * @return output shape (N, ...)
     */
    public Shape outputShape(Shape input) {
        return input;
    }

    /**
     * Sets data-dependent parameters from a batch and passes the batch on; the default sets
     * nothing and returns {@link #forward}. Overridden by ActNorm and by containers.
     *
     * @param ps the parameter store
     * @param x a representative batch
     * @return the forward output of the (now initialised) transform
     */
    protected Transformed dataInit(ParameterStore ps, NDArray x) {
        return forward(ps, x, false);
    }

    /**
     * Runs data-dependent initialisation (ActNorm) on a batch: each transform sees the batch as
     * transformed by the ones before it. Call once, before training; the result is saved with
     * the parameters.
     *
     * @param x a representative batch (e.g. a few hundred examples)
     */
    public void initializeFromData(NDArray x) {
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray local = x.duplicate();
            local.attach(scope);
            dataInit(new ParameterStore(scope, false), local);
        }
    }

    @Override
    public Transformed forward(NDArray x) {
        return forward(new ParameterStore(x.getManager(), false), x, false);
    }

    @Override
    public Transformed inverse(NDArray y) {
        return inverse(new ParameterStore(y.getManager(), false), y, false);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Transformed t = forward(ps, inputs.head(), training);
        return new NDList(t.value(), t.logDet());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[0]), new Shape(inputShapes[0].get(0))};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != version) {
            throw new MalformedModelException(
                    "Unsupported " + getClass().getSimpleName() + " version " + loadVersion + ", expected " + version);
        }
        readInputShapes(is);
    }

    /**
     * Brings an array computed from parameters into the manager of {@code like}, keeping it
     * differentiable (one copy, {@link Local#in}). Needed only where the parameter would be the first
     * operand of an operation, whose result DJL gives to that operand's manager; as a later operand
     * ({@code x.mul(p)}) a parameter needs no copy.
     *
     * @param like an array whose manager should own the result
     * @param a an array owned elsewhere (a parameter or an op on one)
     * @return a differentiable copy in {@code like}'s manager
     */
    protected static NDArray local(NDArray like, NDArray a) {
        return Local.in(like.getManager(), a);
    }

    /**
     * Sums every axis but the batch axis.
     *
     * @param a (N, ...)
     * @return (N)
     */
    protected static NDArray sumPerExample(NDArray a) {
        int dims = a.getShape().dimension();
        if (dims == 1) {
            return a;
        }
        int[] axes = new int[dims - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return a.sum(axes);
    }

    /**
     * A per-example log-det of zeros.
     *
     * @param x the input (N, ...)
     * @return zeros (N) in x's manager and dtype
     */
    protected static NDArray zeroLogDet(NDArray x) {
        return x.getManager().zeros(new Shape(x.getShape().get(0)), x.getDataType());
    }
}
