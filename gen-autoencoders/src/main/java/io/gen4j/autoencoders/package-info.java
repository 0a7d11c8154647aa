/**
 * Autoencoders and variational autoencoders: the representation-learning family of gen4j.
 *
 * <ul>
 *   <li>{@link io.gen4j.autoencoders.Autoencoder}: deterministic, denoising ({@link
 *       io.gen4j.autoencoders.Corruption}) and sparse ({@link io.gen4j.autoencoders.SparsityPenalty})
 *       autoencoders with MSE or BCE-from-logits reconstruction ({@link
 *       io.gen4j.autoencoders.ReconstructionLoss}).
 *   <li>{@link io.gen4j.autoencoders.Vae}: Gaussian encoder, reparameterisation, Bernoulli or
 *       Gaussian decoder ({@link io.gen4j.autoencoders.DecoderLikelihood}), ELBO with β, KL warm-up
 *       and free bits ({@link io.gen4j.autoencoders.KlSchedule}), the importance-weighted bound
 *       ({@link io.gen4j.autoencoders.Iwae}) and posterior-collapse diagnostics ({@link
 *       io.gen4j.autoencoders.CollapseDiagnostics}).
 *   <li>{@link io.gen4j.autoencoders.VqVae} with its {@link io.gen4j.autoencoders.VectorQuantizer}
 *       (straight-through estimator, EMA codebook, dead-code restarts).
 *   <li>{@link io.gen4j.autoencoders.ConditionalVae} with an optional learned prior p(z|y).
 *   <li>Latent-space tools: {@link io.gen4j.autoencoders.LatentPaths} (interpolation, traversal),
 *       {@link io.gen4j.autoencoders.Pca} and {@link io.gen4j.autoencoders.Tsne} projections.
 * </ul>
 *
 * <p>Every model's {@code loss} returns gen-core's {@link io.gen4j.core.train.LossTerms}: the scalar
 * to differentiate and its named parts for logging; its {@code objective()} is the same loss as a
 * gen-core {@link io.gen4j.core.train.Objective}, which {@link io.gen4j.core.train.ObjectiveStep}
 * trains (with clipping, EMA and the NaN guard of {@link io.gen4j.core.train.Fit}). All per-example
 * quantities are in nats.
 */
package io.gen4j.autoencoders;
