package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.gen4j.core.math.Scalars;

/**
 * A penalty that pushes the code of a sparse autoencoder towards few active units (Ng, "Sparse
 * autoencoder", CS294A notes 2011).
 *
 * <ul>
 *   <li>{@link L1}: {@code λ · mean_n Σ_j |h_j|}.
 *   <li>{@link KlDivergence}: with activations h in (0, 1) (a sigmoid code) and the batch mean
 *       activation {@code ρ̂_j = mean_n h_nj}, {@code β Σ_j KL(ρ ‖ ρ̂_j) = β Σ_j ρ log(ρ/ρ̂_j) + (1 −
 *       ρ) log((1 − ρ)/(1 − ρ̂_j))}, zero exactly when every unit fires on average with rate ρ.
 * </ul>
 *
 * <p>In a saved model's spec ({@link AutoencoderSpec}) a penalty is written with a {@code type}
 * field: {@code {"type": "kl", "rho": 0.05, "beta": 3.0}}, {@code {"type": "l1", "lambda": 0.1}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SparsityPenalty.L1.class, name = "l1"),
    @JsonSubTypes.Type(value = SparsityPenalty.KlDivergence.class, name = "kl")
})
public sealed interface SparsityPenalty permits SparsityPenalty.L1, SparsityPenalty.KlDivergence {

    /**
     * @param code the code h, shape (N, d)
     * @return the scalar penalty, in the manager of {@code code}
     */
    NDArray penalty(NDArray code);

    /** @return true when the penalty needs a code in (0, 1) (a sigmoid code activation) */
    default boolean needsUnitInterval() {
        return false;
    }

    /**
     * L1 penalty on the code.
     *
     * @param lambda weight λ >= 0
     */
    record L1(double lambda) implements SparsityPenalty {
        /** Validates λ. */
        public L1 {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
            }
        }

        @Override
        public NDArray penalty(NDArray code) {
            return Scalars.times(ReconstructionLoss.sumPerExample(code.abs()).mean(), lambda);
        }
    }

    /**
     * KL-divergence sparsity penalty with target rate ρ.
     *
     * @param rho target mean activation ρ in (0, 1), e.g. 0.05
     * @param beta weight β >= 0
     */
    record KlDivergence(double rho, double beta) implements SparsityPenalty {
        /** Validates ρ and β. */
        public KlDivergence {
            if (!(rho > 0 && rho < 1)) {
                throw new IllegalArgumentException("rho must be in (0, 1), got " + rho);
            }
            if (!(beta >= 0) || Double.isInfinite(beta)) {
                throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
            }
        }

        @Override
        public NDArray penalty(NDArray code) {
            double eps = 1e-6;
            NDArray rhoHat = Scalars.clip(code.reshape(code.getShape().get(0), -1).mean(new int[] {0}), eps, 1 - eps);
            // ρ log ρ − ρ log ρ̂ + (1 − ρ) log(1 − ρ) − (1 − ρ) log(1 − ρ̂)
            double constant = rho * Math.log(rho) + (1 - rho) * Math.log(1 - rho);
            NDArray kl = Scalars.times(rhoHat.log(), -rho).sub(Scalars.times(rhoHat.neg().add(1).log(), 1 - rho)).add(constant);
            return Scalars.times(kl.sum(), beta);
        }

        @Override
        public boolean needsUnitInterval() {
            return true;
        }
    }
}
