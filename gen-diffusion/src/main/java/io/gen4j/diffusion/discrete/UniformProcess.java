package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;

/**
 * The uniform process of SEDD: every token jumps to a uniformly drawn token (possibly itself) at
 * rate 1,
 *
 * <pre>
 *   Q = (1/N)·11ᵀ − I,   exp(σ̄ Q) = e^{−σ̄}·I + (1 − e^{−σ̄})/N · 11ᵀ
 * </pre>
 *
 * <p>whose limit is the uniform distribution. The network output is the log concrete score itself,
 * log s_y = ℓ_y for y ≠ x_t. The score entropy of a position is, with e = e^{σ̄} − 1, ρ = e/(e + N)
 * the ratio of a kept token and q = 1 + N/e that of the clean token seen from a changed one:
 *
 * <pre>
 *   x_t = x_0:  (σ/N) Σ_{y≠x_t} [ e^{ℓ_y} − ρ ℓ_y ] + σ (N−1)/N · K(ρ)
 *   x_t ≠ x_0:  (σ/N) ( Σ_{y≠x_t} [ e^{ℓ_y} − ℓ_y ] − (q − 1) ℓ_{x_0} + K(q) − (N − 2) )
 * </pre>
 *
 * (the stable form of SEDD's reference code: no ratio is formed from two small probabilities).
 *
 * @param tokens N, the vocabulary, at least 2
 */
public record UniformProcess(int tokens) implements DiscreteProcess {

    /** Validates. */
    public UniformProcess {
        if (tokens < 2) {
            throw new IllegalArgumentException("tokens must be >= 2, got " + tokens);
        }
    }

    @Override
    public int states() {
        return tokens;
    }

    @Override
    public double[][] rateMatrix() {
        double[][] q = new double[tokens][tokens];
        for (int i = 0; i < tokens; i++) {
            for (int j = 0; j < tokens; j++) {
                q[i][j] = (i == j ? -(tokens - 1.0) : 1.0) / tokens;
            }
        }
        return q;
    }

    @Override
    public double[][] transition(double sigmaBar) {
        double keep = Math.exp(-sigmaBar);
        double[][] p = new double[tokens][tokens];
        for (int i = 0; i < tokens; i++) {
            for (int j = 0; j < tokens; j++) {
                p[i][j] = (1 - keep) / tokens + (i == j ? keep : 0);
            }
        }
        return p;
    }

    @Override
    public NDArray perturb(NDArray x0, double[] survival) {
        NDManager m = x0.getManager();
        Shape s = x0.getShape();
        double[] move = new double[survival.length];
        for (int i = 0; i < move.length; i++) {
            move[i] = 1 - survival[i];
        }
        NDArray jump = m.randomUniform(0f, 1f, s, DataType.FLOAT32).lt(Tokens.column(m, move))
                .toType(DataType.INT64, false);
        NDArray fresh = m.randomInteger(0, tokens, s, DataType.INT64);
        NDArray ids = Tokens.ids(x0);
        return ids.add(fresh.sub(ids).mul(jump));
    }

    @Override
    public NDArray limit(NDManager manager, long n, long length) {
        return manager.randomInteger(0, tokens, new Shape(n, length), DataType.INT64);
    }

    @Override
    public NDArray scoreEntropy(NDArray output, NDArray xt, NDArray x0, double[] t, NoiseLevel noise) {
        int b = t.length;
        double n = tokens;
        double[] rhoOf = new double[b];
        double[] qm1 = new double[b];
        double[] constSame = new double[b];
        double[] constDiff = new double[b];
        double[] sigma = new double[b];
        for (int i = 0; i < b; i++) {
            double e = Math.expm1(noise.total(t[i]));
            double rho = e / (e + n);
            double q = 1 + n / e;
            rhoOf[i] = rho;
            qm1[i] = n / e;
            constSame[i] = (n - 1) / n * rho * (Math.log(rho) - 1);
            constDiff[i] = (q * (Math.log(q) - 1) - (n - 2)) / n;
            sigma[i] = noise.rate(t[i]);
        }
        NDManager m = output.getManager();
        NDArray others = Tokens.oneHot(xt, tokens).neg().add(1f);
        NDArray ell = output.mul(others);
        NDArray positive = Scalars.dividedBy(output.exp().mul(others).sum(new int[] {-1}), n);
        NDArray sumEll = ell.sum(new int[] {-1});
        NDArray ellX0 = Tokens.dotLast(output, Tokens.oneHot(x0, tokens));
        NDArray same = Tokens.ids(xt).eq(Tokens.ids(x0)).toType(DataType.FLOAT32, false);
        NDArray negSame = Scalars.dividedBy(sumEll.mul(Tokens.column(m, rhoOf)), n);
        NDArray negDiff = Scalars.dividedBy(sumEll.add(ellX0.mul(Tokens.column(m, qm1))), n);
        NDArray termSame = positive.sub(negSame).add(Tokens.column(m, constSame));
        NDArray termDiff = positive.sub(negDiff).add(Tokens.column(m, constDiff));
        NDArray term = termDiff.add(termSame.sub(termDiff).mul(same));
        return term.mul(Tokens.column(m, sigma));
    }

    @Override
    public NDArray logScore(NDArray output, NDArray xt, double sigmaBar) {
        return output.mul(Tokens.oneHot(xt, tokens).neg().add(1f));
    }

    @Override
    public NDArray eulerProbabilities(NDArray output, NDArray xt, double t, double dt, NoiseLevel noise) {
        NDArray self = Tokens.oneHot(xt, tokens);
        NDArray rates = Scalars.times(output.exp().mul(self.neg().add(1f)), dt * noise.rate(t) / tokens);
        NDArray stay = rates.sum(new int[] {-1}, true).neg().add(1f);
        return Scalars.max(rates.add(self.mul(stay)), 0f);
    }

    @Override
    public NDArray analyticProbabilities(NDArray output, NDArray xt, double t, double s, NoiseLevel noise) {
        double delta = noise.total(t) - noise.total(s);
        double grow = Math.exp(delta);
        NDArray self = Tokens.oneHot(xt, tokens);
        // the score with s_{x_t} = 1
        NDArray score = output.mul(self.neg().add(1f)).exp();
        // exp(−Δ Q) s = e^Δ s + (1 − e^Δ)/N Σ s
        NDArray staggered = Scalars.times(score, grow).add(Scalars.times(score.sum(new int[] {-1}, true), (1 - grow) / tokens));
        // exp(Δ Q)(y, x_t) = e^{−Δ} δ + (1 − e^{−Δ})/N
        NDArray back = Scalars.times(self, Math.exp(-delta)).add((1 - Math.exp(-delta)) / tokens);
        return Scalars.max(staggered.mul(back), 0f);
    }

    @Override
    public double priorKl(NoiseLevel noise) {
        double keep = noise.survival(1);
        if (keep == 0) {
            return 0;
        }
        double n = tokens;
        double atX0 = keep + (1 - keep) / n;
        double other = (1 - keep) / n;
        return atX0 * Math.log(n * atX0) + (n - 1) * other * Math.log(n * other);
    }
}
