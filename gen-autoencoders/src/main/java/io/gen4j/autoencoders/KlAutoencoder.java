package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.train.LossTerms;
import java.util.Map;

/**
 * The KL-regularised convolutional autoencoder of latent diffusion (Rombach et al. 2022, §3 and
 * appendix G, "AutoencoderKL"): a fully convolutional encoder maps an image (C, H, W) to the mean
 * and log-variance of a Gaussian over a spatial latent (c_z, H/4, W/4), the decoder maps a latent
 * back to the image, and a <em>small</em> KL weight keeps the latent space from drifting to
 * arbitrary scales without turning the model into a generative VAE:
 *
 * <pre>
 *   (μ, log σ²) = E(x),   z = μ + σ·ε,   x̂ = D(z)
 *   loss = mean_batch [ Σ_pixels (x̂ − x)²  +  β · Σ_latent KL(N(μ, σ²) ‖ N(0, 1)) ],   β ≈ 1e−4 … 1e−6
 * </pre>
 *
 * <p>The networks are {@link Networks#convFeatureEncoder} (2·c_z output channels, split into μ and
 * log σ², the latter clipped to [−30, 20] as in LDM) and {@link Networks#convFeatureDecoder}.
 * Differences from SD's autoencoder: squared error instead of L1 + LPIPS + a patch discriminator,
 * downsampling ×4 instead of ×8, two convolutions per side instead of ResNet stages. Use it through
 * {@link KlAutoencoderModel}, which adds the latent scaling factor and saving.
 */
public final class KlAutoencoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int latentChannels;
    private final double klWeight;
    private final Block encoder;
    private final Block decoder;

    /**
     * @param dataChannels C of the images
     * @param latentChannels c_z, channels of the latent map
     * @param channels width c of the networks (the encoder's first layer)
     * @param klWeight β, the weight of the KL term, &gt;= 0
     */
    public KlAutoencoder(int dataChannels, int latentChannels, int channels, double klWeight) {
        super(VERSION);
        if (dataChannels < 1 || latentChannels < 1 || channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got data " + dataChannels + ", latent "
                    + latentChannels + ", width " + channels);
        }
        if (!(klWeight >= 0) || Double.isInfinite(klWeight)) {
            throw new IllegalArgumentException("klWeight must be finite and >= 0, got " + klWeight);
        }
        this.latentChannels = latentChannels;
        this.klWeight = klWeight;
        this.encoder = addChildBlock("encoder", Networks.convFeatureEncoder(2 * latentChannels, channels));
        this.decoder = addChildBlock("decoder", Networks.convFeatureDecoder(dataChannels, channels));
    }

    /**
     * q(z | x).
     *
     * @param ps the parameter store
     * @param x images (N, C, H, W)
     * @param training training mode
     * @return μ and log σ², each (N, c_z, H/4, W/4)
     */
    public Posterior posterior(ParameterStore ps, NDArray x, boolean training) {
        NDList halves = encoder.forward(ps, new NDList(x), training).head().split(2, 1);
        return new Posterior(halves.get(0), Scalars.clip(halves.get(1), -30, 20));
    }

    /**
     * @param ps the parameter store
     * @param z latents (N, c_z, h, w)
     * @param training training mode
     * @return images (N, C, 4h, 4w)
     */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        return decoder.forward(ps, new NDList(z), training).head();
    }

    /**
     * The training loss of a batch: squared reconstruction error summed over pixels plus β times
     * the KL summed over latent elements, averaged over the batch.
     *
     * @param ps the parameter store
     * @param x images (N, C, H, W)
     * @param training training mode
     * @return the total and the terms {@code reconstruction} and {@code kl} (both per example)
     */
    public LossTerms loss(ParameterStore ps, NDArray x, boolean training) {
        Posterior q = posterior(ps, x, training);
        NDArray xHat = decode(ps, q.sample(), training);
        long n = x.getShape().get(0);
        NDArray reconstruction = xHat.sub(x).square().reshape(n, -1).sum(new int[] {1}).mean();
        NDArray kl = Gaussians.klToStandardNormal(q.mu(), q.logVar()).reshape(n, -1).sum(new int[] {1}).mean();
        return new LossTerms(reconstruction.add(Scalars.times(kl, klWeight)), Map.of("reconstruction", reconstruction, "kl", kl));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(decode(ps, posterior(ps, inputs.head(), training).mu(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        if (x.dimension() != 4 || x.get(2) % 4 != 0 || x.get(3) % 4 != 0) {
            throw new IllegalArgumentException("images must be (N, C, H, W) with H and W divisible by 4, got " + x);
        }
        encoder.initialize(manager, dataType, x);
        decoder.initialize(manager, dataType, new Shape(x.get(0), latentChannels, x.get(2) / 4, x.get(3) / 4));
    }
}
