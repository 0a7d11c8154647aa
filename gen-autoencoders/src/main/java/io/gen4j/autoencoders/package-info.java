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
 * <p><b>Saving and loading.</b> The model classes ({@code Vae}, {@code ConditionalVae}, {@code VqVae},
 * {@code Autoencoder}) are DJL blocks that accept any encoder and decoder blocks; they train and
 * sample whatever networks they are given. What gen-core's {@link io.gen4j.core.io.ModelStore}
 * saves is a thin record around such a block and the spec it was built from, one per family, the
 * same way for the whole module:
 *
 * <table>
 *   <caption>The families of gen-autoencoders</caption>
 *   <tr><th>family</th><th>spec</th><th>model (spec, block)</th><th>contracts</th></tr>
 *   <tr><td>{@code vae}</td><td>{@link io.gen4j.autoencoders.VaeSpec}</td>
 *       <td>{@link io.gen4j.autoencoders.VaeModel}</td>
 *       <td>GenerativeModel, LikelihoodModel (IWAE bound), LatentCodec</td></tr>
 *   <tr><td>{@code conditional-vae}</td><td>{@link io.gen4j.autoencoders.ConditionalVaeSpec}</td>
 *       <td>{@link io.gen4j.autoencoders.ConditionalVaeModel}</td><td>GenerativeModel (labels from
 *       SampleOptions)</td></tr>
 *   <tr><td>{@code vq-vae}</td><td>{@link io.gen4j.autoencoders.VqVaeSpec}</td>
 *       <td>{@link io.gen4j.autoencoders.VqVaeModel}</td><td>LatentCodec</td></tr>
 *   <tr><td>{@code autoencoder}</td><td>{@link io.gen4j.autoencoders.AutoencoderSpec}</td>
 *       <td>{@link io.gen4j.autoencoders.AutoencoderModel}</td><td>LatentCodec</td></tr>
 * </table>
 *
 * <p>A spec describes its networks with {@link io.gen4j.autoencoders.NetworkSpec} (the networks
 * of {@link io.gen4j.autoencoders.Networks}), so {@code XModel.create(spec, manager)} builds the
 * same block again and the saved parameters load into it. Wrapping, rather than making the blocks
 * implement {@code SaveableModel} themselves, keeps the blocks usable with networks no spec can
 * describe, and keeps every saveable model honest about its spec: a record cannot exist without
 * one. With networks of your own, register your own family (docs/model-format.md). The families
 * are listed in {@code META-INF/services/io.gen4j.core.model.ModelFamily}.
 *
 * <p>Every model's {@code loss} returns gen-core's {@link io.gen4j.core.train.LossTerms}: the scalar
 * to differentiate and its named parts for logging; its {@code objective()} is the same loss as a
 * gen-core {@link io.gen4j.core.train.Objective}, which {@link io.gen4j.core.train.ObjectiveStep}
 * trains (with clipping, EMA and the NaN guard of {@link io.gen4j.core.train.Fit}). All per-example
 * quantities are in nats.
 */
package io.gen4j.autoencoders;
