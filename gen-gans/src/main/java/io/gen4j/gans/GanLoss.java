package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Logistic;

/**
 * The two halves of a GAN objective, written on the discriminator's raw scores (logits for the
 * probabilistic losses, critic values for the Wasserstein and hinge losses).
 *
 * <p>With {@code s_r = D(x)} on real data and {@code s_f = D(G(z))} on generated data, the
 * discriminator minimises {@link #discriminatorLoss} and the generator {@link #generatorLoss}. The
 * implementations are the classic choices:
 *
 * <ul>
 *   <li>{@link MinimaxLoss} (Goodfellow et al. 2014): the zero-sum game, whose generator loss
 *       saturates when D wins;
 *   <li>{@link NonSaturatingLoss} (same paper, §3): G maximises {@code log D(G(z))} instead;
 *   <li>{@link HingeLoss} (Lim &amp; Ye 2017; Miyato et al. 2018);
 *   <li>{@link LeastSquaresLoss} (Mao et al. 2017, LSGAN);
 *   <li>{@link WassersteinLoss} (Arjovsky et al. 2017), with a Lipschitz constraint: weight
 *       clipping, {@link GradientPenalty} or {@link SpectralNorm}.
 * </ul>
 *
 * Both methods return a scalar in the manager of their first argument.
 */
public interface GanLoss {

    /**
     * @param realScores D's scores on real data, (N)
     * @param fakeScores D's scores on generated data, (M)
     * @return the discriminator's loss, a scalar
     */
    NDArray discriminatorLoss(NDArray realScores, NDArray fakeScores);

    /**
     * @param fakeScores D's scores on generated data, (M)
     * @return the generator's loss, a scalar
     */
    NDArray generatorLoss(NDArray fakeScores);

    /** @return the name in logs and tables, e.g. {@code non-saturating} */
    String name();

    /** @return {@link MinimaxLoss} */
    static GanLoss minimax() {
        return new MinimaxLoss();
    }

    /** @return {@link NonSaturatingLoss} */
    static GanLoss nonSaturating() {
        return new NonSaturatingLoss();
    }

    /** @return {@link HingeLoss} */
    static GanLoss hinge() {
        return new HingeLoss();
    }

    /** @return {@link LeastSquaresLoss} */
    static GanLoss leastSquares() {
        return new LeastSquaresLoss();
    }

    /** @return {@link WassersteinLoss} */
    static GanLoss wasserstein() {
        return new WassersteinLoss();
    }

    /** softplus(x) = log(1 + e^x), computed stably: −log σ(−x). */
    static NDArray softplus(NDArray x) {
        return Logistic.softplus(x);
    }
}
