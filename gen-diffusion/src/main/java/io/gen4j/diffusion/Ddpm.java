package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Likelihoods;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Denoising diffusion probabilistic models (Ho, Jain &amp; Abbeel 2020): the forward process in
 * closed form, the training loss and the variational bound, for one {@link DiffusionModel}.
 *
 * <pre>
 *   forward:   x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε,   ε ~ N(0, I)                  (eq. 4)
 *   loss:      E_{t ~ U{0..T−1}, x_0, ε} [ w(t) · ‖target_p(x_0, ε, t) − f_θ(x_t, t)‖² ]   (eq. 14)
 * </pre>
 *
 * where target_p is ε, x_0 or v for the model's {@link Prediction} and w(t) comes from the
 * {@link LossWeighting} (1 for L_simple). The squared error is averaged over the dimensions of
 * each example and then over the batch. Sampling lives in {@link DdpmSampler} and {@link
 * DdimSampler}; this class holds no step counter.
 *
 * <p>Randomness (t and ε) comes from the engine generator; seed it with {@code
 * Engine.getInstance().setRandomSeed}.
 */
public final class Ddpm {

    private static final Logger LOG = LoggerFactory.getLogger(Ddpm.class);

    private final DiffusionModel model;
    private final LossWeighting weighting;
    private volatile double[] stepWeights;

    /**
     * @param model the network, schedule and parameterisation
     * @param weighting the loss weighting
     */
    public Ddpm(DiffusionModel model, LossWeighting weighting) {
        if (model == null || weighting == null) {
            throw new IllegalArgumentException("model and weighting must not be null");
        }
        this.model = model;
        this.weighting = weighting;
    }

    /**
     * @param model the network, schedule and parameterisation
     * @return a DDPM trained with L_simple
     */
    public static Ddpm simple(DiffusionModel model) {
        return new Ddpm(model, LossWeighting.uniform());
    }

    /** @return the denoiser-as-model */
    public DiffusionModel model() {
        return model;
    }

    /** @return the noise schedule */
    public NoiseSchedule schedule() {
        return model.schedule();
    }

    /** @return the loss weighting */
    public LossWeighting weighting() {
        return weighting;
    }

    /**
     * Samples q(x_t | x_0) in closed form: x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε.
     *
     * @param x0 clean data, shape (N, ...)
     * @param t the step of each example, length N, each in [0, T−1]
     * @param epsilon the noise, same shape as x0
     * @return x_t in the manager of x0
     */
    public NDArray qSample(NDArray x0, int[] t, NDArray epsilon) {
        NDArray ab = perExample(x0, t, this::alphaBarOf);
        return x0.mul(ab.sqrt()).add(epsilon.mul(ab.neg().add(1).sqrt()));
    }

    /**
     * The training loss of one batch: uniform t, fresh ε, weighted mean squared error.
     *
     * @param x0 clean data, shape (N, ...)
     * @param condition the condition of each example
     * @return the scalar loss, in the manager of x0 (differentiable through the network)
     */
    public NDArray loss(NDArray x0, Condition condition) {
        NDManager manager = x0.getManager();
        int n = (int) x0.getShape().get(0);
        NoiseSchedule schedule = model.schedule();
        // t stays on the device: the coefficients are gathered from per-step tables (no host read in the step)
        NDArray t = manager.randomInteger(0, schedule.steps(), new Shape(n), DataType.INT32);
        NDArray index = t.toType(DataType.INT64, false);
        NDArray epsilon = manager.randomNormal(0f, 1f, x0.getShape(), x0.getDataType());
        NDArray ab = gathered(x0, index, schedule.alphaBars(), x0.getShape().dimension());
        NDArray xt = x0.mul(ab.sqrt()).add(epsilon.mul(ab.neg().add(1).sqrt()));
        NDArray output = model.denoiser().predict(xt, t.toType(DataType.FLOAT32, false), condition);
        NDArray target = model.prediction().target(x0, epsilon, ab);
        NDArray perExample = meanOverExample(output.sub(target).square());
        // Every weighting multiplies (x·1.0 is exact, so uniform weights cost one product only).
        return perExample.mul(gathered(perExample, index, weights(), 1)).mean();
    }

    /**
     * Computes the variational bound of a batch in bits per dimension, evaluating every step.
     * Costs T network evaluations.
     *
     * @param x0 data scaled to [−1, 1] from 8-bit values (the decoder is discretised on 256 bins)
     * @param condition the condition
     * @param variance the reverse-process variance σ_t²
     * @return the bound and its terms
     */
    public VariationalBound variationalBound(
            NDArray x0, Condition condition, DdpmVariance variance) {
        return variationalBound(x0, condition, variance, 1);
    }

    /**
     * Computes (stride 1) or estimates (stride k &gt; 1) the variational bound of a batch, in bits
     * per dimension. With stride k the steps below k (where the terms are largest) are evaluated
     * exactly and every later block B_j = [j·k, min((j+1)·k, T)), j ≥ 1, by one step u_j drawn
     * uniformly among its own w_j = |B_j| steps (w_j = k except for a last, partial block when T
     * mod k ≠ 0), its term scaled by w_j:
     *
     * <pre>
     *   Σ_{t=1}^{T−1} L_t  ≈  Σ_{t=1}^{k−1} L_t + Σ_{j ≥ 1} w_j · L_{u_j},   u_j ~ U(B_j)
     * </pre>
     *
     * Since E[w_j · L_{u_j}] = Σ_{t ∈ B_j} L_t, this stratified estimate is unbiased (over the draws
     * of u_j, for the x_t drawn at each step) at k + ⌈T/k⌉ − 1 network evaluations; its variance
     * is Σ_j (w_j · Σ_{t ∈ B_j} L_t² − (Σ_{t ∈ B_j} L_t)²), small when the terms vary little
     * within a block. The draws come from the engine generator.
     *
     * <p>For t ≥ 1, with μ̃ the posterior mean and μ_θ the same formula with x̂_0 in place of x_0:
     * KL = ½ Σ_d [log(σ_t²/β̃_t) + β̃_t/σ_t² + (μ̃ − μ_θ)²/σ_t² − 1]. The decoder at t = 0 is
     * Gaussian with mean x̂_0 and variance β̃_1 (the clipped log-variance of Nichol &amp; Dhariwal),
     * integrated over the bin [x − 1/255, x + 1/255] (the edge bins extend to ±∞). Each step gets
     * its own draw of x_t ~ q(x_t | x_0), and each step runs in its own NDManager scope.
     *
     * @param x0 data in [−1, 1], shape (N, ...)
     * @param condition the condition
     * @param variance the reverse-process variance σ_t²
     * @param stride evaluate every stride-th step, in [1, T−1]
     * @return the bound and its terms
     */
    public VariationalBound variationalBound(
            NDArray x0, Condition condition, DdpmVariance variance, int stride) {
        NoiseSchedule schedule = model.schedule();
        int steps = schedule.steps();
        if (stride < 1 || stride >= steps) {
            throw new IllegalArgumentException(
                    "stride must be in [1, " + (steps - 1) + "], got " + stride);
        }
        int n = (int) x0.getShape().get(0);
        long dims = x0.getShape().size() / n;
        // nats -> bits/dim with no dequantization offset (bin width 1): the decoder term already
        // integrates over the 8-bit bins, so the bound is one on the discrete data's NLL
        double[] perExample = new double[n];
        double[] terms = new double[steps];
        Arrays.fill(terms, Double.NaN);

        double prior;
        double decoder;
        try (NDManager scope = x0.getManager().newSubManager()) {
            x0.tempAttach(scope);
            // L_T: KL(N(√ᾱ x0, 1 − ᾱ) ‖ N(0, 1)) = ½ Σ [ᾱ x0² + (1 − ᾱ) − 1 − log(1 − ᾱ)].
            double abLast = schedule.alphaBar(steps - 1);
            NDArray kl = Scalars.times(Scalars.times(x0.square(), abLast).add(-abLast - Math.log(1.0 - abLast)), 0.5);
            double[] priorNats = sumOverExample(kl);
            prior = Likelihoods.bitsPerDim(addAll(perExample, priorNats, 1.0), dims, 1.0);
        }
        double[] decoderTerm;
        try (NDManager scope = x0.getManager().newSubManager()) {
            x0.tempAttach(scope);
            decoderTerm = decoderNll(x0, condition);
            decoder = Likelihoods.bitsPerDim(addAll(perExample, decoderTerm, 1.0), dims, 1.0);
            terms[0] = decoder;
        }
        int[] offsets = stratumOffsets(x0.getManager(), steps, stride);
        for (int t = 1; t < steps; t++) {
            int block = t / stride;
            int width = 1;
            if (block > 0) {
                // Stratified estimate: one step per block, uniform among the block's own steps.
                int lo = block * stride;
                width = Math.min(lo + stride, steps) - lo;
                if (t != lo + offsets[block]) {
                    continue;
                }
            }
            try (NDManager scope = x0.getManager().newSubManager()) {
                x0.tempAttach(scope);
                double[] nats = denoisingKl(x0, t, condition, variance);
                terms[t] = Likelihoods.bitsPerDim(addAll(perExample, nats, width) / width, dims, 1.0);
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            perExample[i] = Likelihoods.bitsPerDim(perExample[i], dims, 1.0);
            total += perExample[i];
        }
        total /= n;
        LOG.debug("variational bound {} bits/dim (prior {}, decoder {}, stride {})", total, prior,
                decoder, stride);
        return new VariationalBound(total, prior, decoder, terms, perExample, stride);
    }

    /**
     * The offset of the evaluated step in each block [j·stride, min((j+1)·stride, T)), j ≥ 1: one
     * draw uniform in [0, stride) for each full block and one uniform in [0, width) for a last,
     * partial block. Entry 0 (the exactly evaluated block) is unused.
     */
    private static int[] stratumOffsets(NDManager manager, int steps, int stride) {
        int blocks = (steps + stride - 1) / stride;
        int[] offsets = new int[blocks];
        if (stride == 1) {
            return offsets;
        }
        int full = steps / stride;
        int lastWidth = steps - full * stride;
        try (NDManager scope = manager.newSubManager()) {
            if (full > 1) {
                int[] drawn = scope.randomInteger(0, stride, new Shape(full - 1), DataType.INT32)
                        .toIntArray();
                System.arraycopy(drawn, 0, offsets, 1, full - 1);
            }
            if (lastWidth > 0) {
                offsets[full] = scope.randomInteger(0, lastWidth, new Shape(1), DataType.INT32)
                        .toIntArray()[0];
            }
        }
        return offsets;
    }

    /** KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t)) per example, nats, for t ≥ 1. */
    private double[] denoisingKl(NDArray x0, int t, Condition condition, DdpmVariance variance) {
        NoiseSchedule schedule = model.schedule();
        NDArray epsilon = x0.getManager().randomNormal(0f, 1f, x0.getShape(), x0.getDataType());
        double ab = schedule.alphaBar(t);
        NDArray xt = Scalars.times(x0, Math.sqrt(ab)).add(Scalars.times(epsilon, Math.sqrt(1.0 - ab)));
        DiffusionModel.Estimate estimate = model.estimate(xt, t, condition);
        double c0 = schedule.posteriorMeanCoefX0(t);
        // μ̃ − μ_θ = c0 · (x0 − x̂0); the x_t parts cancel.
        NDArray meanDiff = Scalars.times(x0.sub(estimate.x0()), c0);
        double trueVar = schedule.posteriorVariance(t);
        double modelVar = variance.variance(ab, schedule.alphaBar(t - 1));
        double constant = 0.5 * (Math.log(modelVar / trueVar) + trueVar / modelVar - 1.0);
        NDArray kl = Scalars.times(meanDiff.square(), 0.5 / modelVar).add(constant);
        return sumOverExample(kl);
    }

    /** −log p_θ(x_0 | x_1) per example, nats: discretised Gaussian with mean x̂_0, variance β̃_1. */
    private double[] decoderNll(NDArray x0, Condition condition) {
        NoiseSchedule schedule = model.schedule();
        NDArray epsilon = x0.getManager().randomNormal(0f, 1f, x0.getShape(), x0.getDataType());
        double ab = schedule.alphaBar(0);
        NDArray x1 = Scalars.times(x0, Math.sqrt(ab)).add(Scalars.times(epsilon, Math.sqrt(1.0 - ab)));
        NDArray mean = model.estimate(x1, 0, condition).x0();
        double invStd = 1.0 / Math.sqrt(schedule.posteriorVariance(1));
        NDArray centered = x0.sub(mean);
        NDArray cdfPlus = normalCdf(Scalars.times(centered.add(1.0 / 255), invStd));
        NDArray cdfMinus = normalCdf(Scalars.times(centered.sub(1.0 / 255), invStd));
        NDArray logCdfPlus = Scalars.max(cdfPlus, 1e-12).log();
        NDArray logOneMinusCdfMinus = Scalars.max(cdfMinus.neg().add(1), 1e-12).log();
        NDArray logMid = Scalars.max(cdfPlus.sub(cdfMinus), 1e-12).log();
        NDArray low = x0.lt(-0.999);
        NDArray high = x0.gt(0.999);
        NDArray logProb = logMid.mul(low.logicalOr(high).logicalNot().toType(x0.getDataType(), false))
                .add(logCdfPlus.mul(low.toType(x0.getDataType(), false)))
                .add(logOneMinusCdfMinus.mul(high.toType(x0.getDataType(), false)));
        return sumOverExample(logProb.neg());
    }

    private static NDArray normalCdf(NDArray z) {
        return Scalars.times(Scalars.times(z, 1.0 / Math.sqrt(2.0)).erf().add(1), 0.5);
    }

    private static double addAll(double[] perExample, double[] nats, double scale) {
        double mean = 0;
        for (int i = 0; i < nats.length; i++) {
            perExample[i] += scale * nats[i];
            mean += nats[i];
        }
        return scale * mean / nats.length;
    }

    private static double[] sumOverExample(NDArray values) {
        NDArray summed = values.reshape(values.getShape().get(0), -1).sum(new int[] {1});
        return summed.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static NDArray meanOverExample(NDArray values) {
        return values.reshape(values.getShape().get(0), -1).mean(new int[] {1});
    }

    private double alphaBarOf(int t) {
        return model.schedule().alphaBar(t);
    }

    /** @return the loss weight of every step t, computed once */
    private double[] weights() {
        double[] w = stepWeights;
        if (w == null) {
            NoiseSchedule schedule = model.schedule();
            w = new double[schedule.steps()];
            for (int t = 0; t < w.length; t++) {
                w[t] = weighting.weight(schedule.snr(t), model.prediction());
            }
            stepWeights = w;
        }
        return w;
    }

    /**
     * {@code table[t_i]} for each example, gathered on the device, as an (N, 1, …, 1) array of {@code rank} axes in
     * the data type and manager of {@code like}; the same values as {@link #perExample} (a cast per element
     * commutes with the gather).
     */
    private static NDArray gathered(NDArray like, NDArray index, double[] table, int rank) {
        long[] dims = new long[rank];
        Arrays.fill(dims, 1);
        dims[0] = index.size();
        NDArray values = like.getManager().create(table).toType(like.getDataType(), false);
        return values.get(new NDIndex("{}", index)).reshape(new Shape(dims));
    }

    /** A per-example coefficient as an (N, 1, …, 1) array in the manager of {@code like}. */
    private static NDArray perExample(
            NDArray like, int[] t, java.util.function.IntToDoubleFunction f) {
        double[] values = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            values[i] = f.applyAsDouble(t[i]);
        }
        long[] dims = new long[like.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = t.length;
        return like.getManager().create(values, new Shape(dims)).toType(like.getDataType(), false);
    }
}
