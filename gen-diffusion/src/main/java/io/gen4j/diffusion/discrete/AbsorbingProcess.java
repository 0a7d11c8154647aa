package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;

/**
 * The absorbing (mask) process of SEDD: every token jumps to an extra state M, the mask, at rate 1,
 * and stays there,
 *
 * <pre>
 *   Q(i, M) = 1, Q(i, i) = −1 for i &lt; N;  Q(M, ·) = 0
 *   p_t(x_t | x_0):  x_0 with probability e^{−σ̄},  M with probability 1 − e^{−σ̄}
 * </pre>
 *
 * <p>Its limit is the all-mask sequence. Only masked positions have a reverse jump, M → y, whose
 * concrete score at the optimum is s_y = p_0(y | unmasked context) / (e^{σ̄} − 1). The network output
 * is read as (SEDD's "scale by σ")
 *
 * <pre>
 *   log s_y = ℓ_y − log(e^{σ̄} − 1) − log N,   y &lt; N, at masked positions
 * </pre>
 *
 * so e^{ℓ_y}/N estimates p_0(y | context) at every noise level. With r = 1/(e^{σ̄} − 1) the score
 * entropy of a masked position is σ·[Σ_y s_y − r log s_{x_0} + K(r)], in which log r cancels:
 *
 * <pre>
 *   σ(t)/(e^{σ̄(t)} − 1) · [ (1/N) Σ_{y&lt;N} e^{ℓ_y} − ℓ_{x_0} + log N − 1 ]
 * </pre>
 *
 * and the weight σ/(e^{σ̄} − 1) is 1/t for the log-linear schedule. The samplers' steps are written
 * with the survival probabilities α = e^{−σ̄}, finite at t = 1 where α = 0.
 *
 * <p><b>Normalised reading</b> ({@link #normalized(int)}): the true e^{ℓ_y}/N is a distribution over
 * y &lt; N (p_0(y | context) sums to 1), so the process may read the network's raw output r through
 * ℓ_y = log softmax_{y&lt;N}(r) + log N, which satisfies that constraint by construction. The score
 * entropy of a masked position then reduces to the weighted cross-entropy
 * σ/(e^{σ̄} − 1) · (−log softmax(r)_{x_0}) (MDLM's loss, Sahoo et al. 2024; RADD, Ou et al. 2024), the
 * network no longer spends steps learning the normalisation, and every formula above (bound,
 * samplers) applies unchanged to ℓ. The exact concrete score is representable in both readings.
 *
 * @param tokens N, the vocabulary without the mask, at least 1; the mask is token N
 * @param normalized whether the output is read through a log-softmax over the N real tokens
 */
public record AbsorbingProcess(int tokens, boolean normalized) implements DiscreteProcess {

    /** Validates. */
    public AbsorbingProcess {
        if (tokens < 1) {
            throw new IllegalArgumentException("tokens must be >= 1, got " + tokens);
        }
    }

    /**
     * SEDD's unnormalised reading (the output is ℓ itself).
     *
     * @param tokens N, at least 1
     */
    public AbsorbingProcess(int tokens) {
        this(tokens, false);
    }

    /**
     * @param tokens N, at least 1
     * @return the process with the normalised reading ℓ = log softmax_{y&lt;N}(output) + log N
     */
    public static AbsorbingProcess normalized(int tokens) {
        return new AbsorbingProcess(tokens, true);
    }

    /**
     * ℓ as this process reads the network output: the output itself, or (normalised) log softmax over
     * the real tokens + log N with the mask column passed through.
     *
     * @param output the raw network output (N, L, states)
     * @return ℓ (N, L, states), in the manager of output
     */
    public NDArray reading(NDArray output) {
        if (!normalized) {
            return output;
        }
        NDArray real = output.get(new NDIndex("..., 0:" + tokens)).logSoftmax(-1).add(Math.log(tokens));
        return NDArrays.concat(new NDList(real, output.get(new NDIndex("..., " + tokens + ":"))), -1);
    }

    /** @return the mask token, N */
    public int mask() {
        return tokens;
    }

    @Override
    public int states() {
        return tokens + 1;
    }

    @Override
    public double[][] rateMatrix() {
        double[][] q = new double[tokens + 1][tokens + 1];
        for (int i = 0; i < tokens; i++) {
            q[i][i] = -1;
            q[i][tokens] = 1;
        }
        return q;
    }

    @Override
    public double[][] transition(double sigmaBar) {
        double keep = Math.exp(-sigmaBar);
        double[][] p = new double[tokens + 1][tokens + 1];
        for (int i = 0; i < tokens; i++) {
            p[i][i] = keep;
            p[i][tokens] = 1 - keep;
        }
        p[tokens][tokens] = 1;
        return p;
    }

    @Override
    public NDArray perturb(NDArray x0, double[] survival) {
        NDManager m = x0.getManager();
        double[] move = new double[survival.length];
        for (int i = 0; i < move.length; i++) {
            move[i] = 1 - survival[i];
        }
        NDArray jump = m.randomUniform(0f, 1f, x0.getShape(), DataType.FLOAT32).lt(Tokens.column(m, move))
                .toType(DataType.INT64, false);
        NDArray ids = Tokens.ids(x0);
        return ids.add(ids.neg().add(tokens).mul(jump));
    }

    @Override
    public NDArray limit(NDManager manager, long n, long length) {
        return manager.full(new Shape(n, length), (float) tokens, DataType.INT64);
    }

    private NDArray masked(NDArray xt) {
        return Tokens.ids(xt).eq(tokens).toType(DataType.FLOAT32, false);
    }

    /** @return (states) 1 for real tokens, 0 for the mask, in x's manager */
    private NDArray realTokens(NDArray x) {
        return Tokens.oneHot(x.getManager().create((long) tokens), tokens + 1).neg().add(1f);
    }

    @Override
    public NDArray scoreEntropy(NDArray raw, NDArray xt, NDArray x0, double[] t, NoiseLevel noise) {
        NDArray output = reading(raw);
        double[] weight = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            weight[i] = noise.rateOverExpm1(t[i]);
        }
        NDArray positive = Scalars.dividedBy(output.exp().mul(realTokens(output)).sum(new int[] {-1}), (double) tokens);
        NDArray ellX0 = Tokens.dotLast(output, Tokens.oneHot(x0, tokens + 1));
        NDArray term = positive.sub(ellX0).add(Math.log(tokens) - 1);
        return term.mul(masked(xt)).mul(Tokens.column(output.getManager(), weight));
    }

    @Override
    public NDArray logScore(NDArray raw, NDArray xt, double sigmaBar) {
        NDArray output = reading(raw);
        double shift = Math.log(Math.expm1(sigmaBar)) + Math.log(tokens);
        NDArray atMask = output.sub(shift).mul(realTokens(output));
        NDArray atToken = Tokens.oneHot(xt, tokens + 1).log();
        NDArray isMasked = masked(xt).expandDims(-1).broadcast(output.getShape()).toType(DataType.BOOLEAN, false);
        return NDArrays.where(isMasked, atMask, atToken);
    }

    @Override
    public NDArray eulerProbabilities(NDArray raw, NDArray xt, double t, double dt, NoiseLevel noise) {
        NDArray output = reading(raw);
        NDArray rates = Scalars.times(output.exp().mul(realTokens(output)), dt * noise.rateOverExpm1(t) / tokens);
        NDArray toMask = Tokens.oneHot(output.getManager().create((long) tokens), tokens + 1);
        NDArray fromMask = Scalars.max(rates.add(toMask.mul(rates.sum(new int[] {-1}, true).neg().add(1f))), 0f);
        return mix(fromMask, xt);
    }

    @Override
    public NDArray analyticProbabilities(NDArray raw, NDArray xt, double t, double s, NoiseLevel noise) {
        NDArray output = reading(raw);
        double alphaT = noise.survival(t);
        double alphaS = noise.survival(s);
        double unmask = (alphaS - alphaT) / (1 - alphaT);
        double stay = (1 - alphaS) / (1 - alphaT);
        NDArray toMask = Tokens.oneHot(output.getManager().create((long) tokens), tokens + 1);
        NDArray fromMask = Scalars.times(output.exp().mul(realTokens(output)), unmask / tokens).add(Scalars.times(toMask, stay));
        return mix(fromMask, xt);
    }

    /** Masked positions take the given probabilities; the others keep their token. */
    private NDArray mix(NDArray fromMask, NDArray xt) {
        NDArray m = masked(xt).expandDims(-1);
        NDArray keep = Tokens.oneHot(xt, tokens + 1);
        return keep.add(fromMask.sub(keep).mul(m));
    }

    @Override
    public double priorKl(NoiseLevel noise) {
        double keep = noise.survival(1);
        if (keep > 0) {
            throw new IllegalArgumentException("the absorbing process keeps a token unmasked at t = 1 with probability "
                    + keep + " under " + noise + ": the prior term KL(p_1 | all-mask) is infinite; use a schedule that"
                    + " masks everything at t = 1 (LogLinearNoise.complete())");
        }
        return 0;
    }
}
