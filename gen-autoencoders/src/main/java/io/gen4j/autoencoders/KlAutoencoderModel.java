package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.SaveableModel;
import io.gen4j.core.train.Objective;
import java.util.Objects;

/**
 * A {@link KlAutoencoder} with its {@link KlAutoencoderSpec}: the latent codec of latent diffusion,
 * saved and loaded through {@link io.gen4j.core.io.ModelStore} (family {@code kl-autoencoder}).
 *
 * <p>As a {@link LatentCodec} it works in <em>scaled</em> latents, as Stable Diffusion's pipeline
 * does with {@code vae.config.scaling_factor}: {@code encode(x) = s · μ(x)} and {@code decode(z) =
 * D(z / s)}, with s = {@link KlAutoencoderSpec#latentScale()} estimated from data by {@link
 * LatentScale} so that encoded training images have unit standard deviation, the scale a diffusion
 * model's N(0, I) prior expects. {@link #encodeRaw} gives μ(x) itself. A diffusion model that
 * consumes this codec needs to know nothing about s.
 *
 * <pre>{@code
 * KlAutoencoderModel vae = KlAutoencoderModel.create(KlAutoencoderSpec.defaults(data), manager);
 * // ... train vae.objective() with ObjectiveStep ...
 * vae = vae.withLatentScale(LatentScale.estimate(vae, images, 256));
 * ModelStore.save(vae, dir);
 * }</pre>
 *
 * @param spec the description (with the latent scale)
 * @param network the autoencoder (initialised)
 */
public record KlAutoencoderModel(KlAutoencoderSpec spec, KlAutoencoder network) implements SaveableModel, LatentCodec {

    /** Validates. */
    public KlAutoencoderModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(network, "network");
    }

    /**
     * Builds the autoencoder a spec describes, with freshly initialised float32 parameters.
     *
     * @param spec the description
     * @param manager the manager that owns the parameters
     * @return the model
     */
    public static KlAutoencoderModel create(KlAutoencoderSpec spec, NDManager manager) {
        long[] s = spec.data().shape();
        KlAutoencoder net = new KlAutoencoder((int) s[0], spec.latentChannels(), spec.channels(), spec.klWeight());
        net.initialize(manager, DataType.FLOAT32, new Shape(1, s[0], s[1], s[2]));
        return new KlAutoencoderModel(spec, net);
    }

    /**
     * @param scale the latent scaling factor s
     * @return the same network with s in its spec (the parameters are shared, not copied)
     */
    public KlAutoencoderModel withLatentScale(double scale) {
        return new KlAutoencoderModel(spec.withLatentScale(scale), network);
    }

    /** @return the training objective on batches {@code (x)} or {@code (x, labels)} (labels ignored) */
    public Objective objective() {
        return Objective.of(network, (ctx, batch) -> network.loss(ctx.parameters(), batch.head(), ctx.training()));
    }

    /**
     * @param x images (N, C, H, W)
     * @return the posterior mean μ(x), unscaled, (N, c_z, H/4, W/4)
     */
    public NDArray encodeRaw(NDArray x) {
        return network.posterior(new ParameterStore(x.getManager(), false), x, false).mu();
    }

    @Override
    public NDArray encode(NDArray x) {
        return Scalars.times(encodeRaw(x), spec.latentScale());
    }

    @Override
    public NDArray decode(NDArray z) {
        return network.decode(new ParameterStore(z.getManager(), false), Scalars.dividedBy(z, spec.latentScale()), false);
    }

    @Override
    public Shape latentShape() {
        long[] s = spec.data().shape();
        return new Shape(spec.latentChannels(), s[1] / 4, s[2] / 4);
    }
}
