package io.gen4j.gans;

import ai.djl.ndarray.NDArray;

/**
 * The hinge loss of geometric GAN (Lim &amp; Ye 2017), used with {@link SpectralNorm} by Miyato et
 * al. 2018 and BigGAN:
 *
 * <pre>
 *   L_D = E[max(0, 1 − s_r)] + E[max(0, 1 + s_f)]
 *   L_G = −E[s_f]
 * </pre>
 */
public record HingeLoss() implements GanLoss {

    @Override
    public NDArray discriminatorLoss(NDArray realScores, NDArray fakeScores) {
        NDArray real = relu(realScores.neg().add(1)).mean();
        return real.add(relu(fakeScores.add(1)).mean());
    }

    @Override
    public NDArray generatorLoss(NDArray fakeScores) {
        return fakeScores.mean().neg();
    }

    /** max(0, x) with the engine's ReLU (not {@code x.maximum(0)}, whose 0 autograd may read freed: {@link io.gen4j.core.math.Scalars}). */
    private static NDArray relu(NDArray x) {
        return x.getNDArrayInternal().relu();
    }

    @Override
    public String name() {
        return "hinge";
    }
}
