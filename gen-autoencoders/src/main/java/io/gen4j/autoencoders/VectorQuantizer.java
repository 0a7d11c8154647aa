package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.gen4j.core.math.Scalars;

/**
 * The vector-quantisation bottleneck of the VQ-VAE (van den Oord, Vinyals &amp; Kavukcuoglu 2017).
 *
 * <p>Each encoder vector z_e (the channel vector at each position of an (N, D, H, W) map, or each
 * row of an (N, D) matrix) is replaced by its nearest codebook entry:
 *
 * <pre>
 *   k*  = argmin_k ‖z_e − e_k‖²,   z_q = e_{k*}
 *   out = z_e + sg[z_q − z_e]                          (straight-through: forward z_q, ∂out/∂z_e = I)
 *   codebook loss   = (1/N) Σ_n Σ_{vectors of n} ‖sg[z_e] − z_q‖²       (GRADIENT update only)
 *   commitment loss = β · (1/N) Σ_n Σ_{vectors of n} ‖z_e − sg[z_q]‖²
 * </pre>
 *
 * <p><b>Scale.</b> Both terms are per-example sums over the example's latent vectors and their D
 * components, averaged over the batch: eq. 3 of the paper applied to every latent vector of an
 * example, on the same scale as a reconstruction log-likelihood summed over pixels (nats per
 * example; {@link VqVae#loss}). So β keeps the paper's meaning whatever the latent grid: each latent
 * component weighs β against each pixel's log-likelihood, and ∂commitment/∂z_e = 2β(z_e − z_q)/N.
 * (Means over all N·D·h·w elements next to a reconstruction summed per example would divide β by
 * D·h·w.)
 *
 * <p><b>EMA codebook</b> ({@link CodebookUpdate#EMA}, the paper's appendix A.1). In training
 * forwards the codebook follows moving averages of the assigned vectors instead of a gradient:
 *
 * <pre>
 *   N_k ← γ N_k + (1 − γ) n_k                  n_k = number of the batch's vectors assigned to k
 *   m_k ← γ m_k + (1 − γ) Σ_{i→k} z_i
 *   e_k = m_k / Ñ_k,   Ñ_k = (N_k + ε) · n / (n + Kε),   n = Σ_k N_k      (Laplace smoothing)
 * </pre>
 *
 * <p>The averages start consistent with the codebook: N_k = 1 and m_k = e_k, one pseudo-vector at
 * the initial code. After t updates e_k is then the weighted mean of e_k(0) (weight γ^t) and of
 * every vector ever assigned to k (weight (1 − γ)γ^{t−s} for a vector of update s), up to the
 * smoothing, and a code that receives nothing keeps its value: m_k and N_k both shrink by γ. (With
 * N_k = 0 and m_k = e_k, as in several public implementations, an unused code is divided by about
 * ε on its first update and thrown ~γ/ε away. Sonnet's zero-debiased averages instead forget e_k(0)
 * at the first update and send unused codes to 0.) The smoothing only matters once γ^t is near ε:
 * a code unused for about ln ε / ln γ updates (1 150 at γ = 0.99) starts shrinking towards 0, which
 * is what dead-code restarts are for.
 *
 * <p><b>Dead codes.</b> Codes whose N_k (vectors per batch, starting from the pseudo-count 1) falls
 * below {@link VectorQuantizerConfig#deadCodeThreshold()} are restarted at random encoder outputs of
 * the batch with N_k = threshold (Dhariwal et al. 2020, Jukebox). Usage is reported as the
 * perplexity {@code exp(−Σ_k p_k log p_k)} of the batch's code histogram: K when every code is used
 * equally, 1 when one code takes everything.
 */
public class VectorQuantizer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final VectorQuantizerConfig config;
    private final Parameter codebook;
    private final Parameter clusterSize;
    private final Parameter embedSum;

    /**
     * The quantised output and its diagnostics.
     *
     * @param quantized straight-through output z_e + sg[z_q − z_e], same shape as the input
     * @param indices chosen code per vector, shape (N) or (N, H, W), int64
     * @param codebookLoss scalar, Σ over each example's latent vectors averaged over the batch (zero
     *     with EMA updates)
     * @param commitmentLoss scalar, the same sum, already multiplied by β
     * @param perplexity scalar, exp of the entropy of the batch's code histogram
     */
    public record Quantized(
            NDArray quantized, NDArray indices, NDArray codebookLoss, NDArray commitmentLoss, NDArray perplexity) {}

    /**
     * @param config hyperparameters
     */
    public VectorQuantizer(VectorQuantizerConfig config) {
        super(VERSION);
        this.config = config;
        float bound = 1f / config.numCodes();
        boolean ema = config.update() == CodebookUpdate.EMA;
        this.codebook = addParameter(Parameter.builder()
                .setName("codebook")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.numCodes(), config.codeDim()))
                .optInitializer((m, s, t) -> m.randomUniform(-bound, bound, s, t))
                .optRequiresGrad(!ema)
                .build());
        this.clusterSize = addParameter(Parameter.builder()
                .setName("clusterSize")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optShape(new Shape(config.numCodes()))
                .optInitializer(Initializer.ONES)
                .optRequiresGrad(false)
                .build());
        this.embedSum = addParameter(Parameter.builder()
                .setName("embedSum")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optShape(new Shape(config.numCodes(), config.codeDim()))
                .optInitializer(Initializer.ZEROS)
                .optRequiresGrad(false)
                .build());
    }

    /** @return the configuration */
    public VectorQuantizerConfig config() {
        return config;
    }

    /** @return the codebook array (K, D); do not close it */
    public NDArray codebook() {
        return codebook.getArray();
    }

    /** @return the EMA cluster sizes N_k (K); do not close it */
    public NDArray clusterSizes() {
        return clusterSize.getArray();
    }

    /**
     * Replaces the codebook and restarts the EMA state consistently with it: e = codes, N_k = 1,
     * m_k = e_k. Package-private: tests start from a known codebook.
     *
     * @param codes (K, D), any manager; copied
     */
    void resetCodebook(NDArray codes) {
        if (!codes.getShape().equals(codebook.getArray().getShape())) {
            throw new IllegalArgumentException(
                    "codes must have shape " + codebook.getArray().getShape() + ", got " + codes.getShape());
        }
        NDArray e = codebook.getArray();
        e.set(new NDIndex(":"), codes.toType(e.getDataType(), false));
        clusterSize.getArray().set(new NDIndex(":"), 1);
        embedSum.getArray().set(new NDIndex(":"), codes.toType(e.getDataType(), false));
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        // One pseudo-vector per code at its initial value: N_k = 1 (the initializer), m_k = e_k.
        embedSum.getArray().addi(codebook.getArray());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if ((in.dimension() != 2 && in.dimension() != 4) || in.get(1) != config.codeDim()) {
            throw new IllegalArgumentException(
                    "expected (N, " + config.codeDim() + ") or (N, " + config.codeDim() + ", H, W), got " + in);
        }
    }

    /**
     * Quantises z_e. In training with EMA updates, also updates the codebook and restarts dead
     * codes (after the outputs are computed, on arrays that carry no gradient).
     *
     * @param ps parameter store
     * @param ze encoder output (N, D) or (N, D, H, W)
     * @param training training mode
     * @return the quantised output and diagnostics, in the manager of {@code ze}
     */
    public Quantized quantize(ParameterStore ps, NDArray ze, boolean training) {
        Shape shape = ze.getShape();
        boolean spatial = shape.dimension() == 4;
        int d = config.codeDim();
        NDArray flat = spatial ? ze.transpose(0, 2, 3, 1).reshape(-1, d) : ze;
        // zeros + codebook: a copy in the caller's manager that still carries the gradient.
        NDArray e = ze.getManager().zeros(new Shape(config.numCodes(), d), ze.getDataType())
                .add(ps.getValue(codebook, ze.getDevice(), training));
        NDArray indices = nearest(flat.stopGradient(), e);
        NDArray oneHot = indices.oneHot(config.numCodes(), flat.getDataType());
        NDArray zqFlat = oneHot.matMul(e);
        NDArray zq = spatial
                ? zqFlat.reshape(shape.get(0), shape.get(2), shape.get(3), d).transpose(0, 3, 1, 2)
                : zqFlat;
        // Per-example sums over the latent vectors, averaged over the batch (see the class javadoc).
        NDArray commitment = Scalars.times(ReconstructionLoss.sumPerExample(ze.sub(zq.stopGradient()).square()).mean(), config.commitment());
        NDArray codebookLoss = config.update() == CodebookUpdate.GRADIENT
                ? ReconstructionLoss.sumPerExample(zq.sub(ze.stopGradient()).square()).mean()
                : ze.getManager().zeros(new Shape(), ze.getDataType());
        NDArray out = ze.add(zq.sub(ze).stopGradient());
        NDArray counts = oneHot.sum(new int[] {0});
        NDArray perplexity = perplexity(counts);
        if (training && config.update() == CodebookUpdate.EMA) {
            updateEma(flat.stopGradient(), oneHot, counts);
        }
        NDArray idx = spatial ? indices.reshape(shape.get(0), shape.get(2), shape.get(3)) : indices;
        return new Quantized(out, idx, codebookLoss, commitment, perplexity);
    }

    /**
     * Nearest codebook entry per row: argmin_k ‖z‖² − 2 z·e_k + ‖e_k‖².
     *
     * @param flat (M, D)
     * @param e (K, D)
     * @return (M) int64 indices
     */
    static NDArray nearest(NDArray flat, NDArray e) {
        NDArray dist = flat.square().sum(new int[] {1}, true)
                .sub(Scalars.times(flat.matMul(e.transpose()), 2))
                .add(e.square().sum(new int[] {1}).expandDims(0));
        return dist.argMin(1);
    }

    /**
     * Perplexity of a code histogram, exp(−Σ p log p).
     *
     * @param counts (K) counts
     * @return a scalar in the manager of {@code counts}
     */
    public static NDArray perplexity(NDArray counts) {
        NDArray p = counts.div(Scalars.max(counts.sum(), 1e-12));
        return p.mul(p.add(1e-12).log()).sum().neg().exp();
    }

    private void updateEma(NDArray flat, NDArray oneHot, NDArray counts) {
        try (NDManager scope = flat.getManager().newSubManager()) {
            double gamma = config.decay();
            // Work on copies in the scope (ops take the manager of their first operand), then write
            // the results back into the parameters in place.
            NDArray cs = Scalars.times(copy(clusterSize.getArray(), scope), gamma).add(Scalars.times(counts, 1 - gamma));
            NDArray sums = oneHot.transpose().matMul(flat);
            sums.attach(scope);
            NDArray m = Scalars.times(copy(embedSum.getArray(), scope), gamma).add(Scalars.times(sums, 1 - gamma));
            NDArray e = m.div(smoothed(cs).expandDims(1));
            if (config.deadCodeThreshold() > 0) {
                NDArray dead = cs.lt(config.deadCodeThreshold()).toType(flat.getDataType(), false);
                if (dead.sum().toType(DataType.FLOAT64, false).getDouble() > 0) {
                    long k = config.numCodes();
                    NDArray pick = scope.randomInteger(0, flat.getShape().get(0), new Shape(k), DataType.INT64);
                    NDArray candidates = flat.get(pick);
                    candidates.attach(scope);
                    NDArray keep = dead.neg().add(1);
                    // A restarted code: e_k = a batch vector, N_k = threshold, m_k = N_k e_k.
                    double n0 = config.deadCodeThreshold();
                    cs = cs.mul(keep).add(Scalars.times(dead, n0));
                    m = m.mul(keep.expandDims(1)).add(Scalars.times(candidates.mul(dead.expandDims(1)), n0));
                    e = e.mul(keep.expandDims(1)).add(candidates.mul(dead.expandDims(1)));
                }
            }
            clusterSize.getArray().set(new NDIndex(":"), cs);
            embedSum.getArray().set(new NDIndex(":"), m);
            codebook.getArray().set(new NDIndex(":"), e);
        }
    }

    /** Ñ_k = (N_k + ε) n / (n + Kε) with n = Σ_k N_k: Laplace-smoothed cluster sizes. */
    private NDArray smoothed(NDArray cs) {
        NDArray n = cs.sum();
        return cs.add(config.epsilon()).div(n.add(config.numCodes() * config.epsilon())).mul(n);
    }

    private static NDArray copy(NDArray a, NDManager scope) {
        NDArray c = a.duplicate();
        c.attach(scope);
        return c;
    }

    /**
     * Looks codes up: indices to code vectors.
     *
     * @param indices (N) or (N, H, W) integer indices in [0, K)
     * @return (N, D) or (N, D, H, W), in the manager of {@code indices}
     */
    public NDArray lookup(NDArray indices) {
        NDArray e = codebook.getArray();
        Shape s = indices.getShape();
        NDArray flat = indices.reshape(-1).oneHot(config.numCodes(), e.getDataType()).matMul(e);
        if (s.dimension() == 1) {
            return flat;
        }
        return flat.reshape(s.get(0), s.get(1), s.get(2), config.codeDim()).transpose(0, 3, 1, 2);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Quantized q = quantize(ps, inputs.head(), training);
        return new NDList(q.quantized(), q.indices());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape idx = in.dimension() == 4 ? new Shape(in.get(0), in.get(2), in.get(3)) : new Shape(in.get(0));
        return new Shape[] {in, idx};
    }
}
