/**
 * Generative adversarial networks on gen-core's training contract: MLP and DCGAN generators and
 * discriminators ({@link io.gen4j.gans.Generator}, {@link io.gen4j.gans.Discriminator}), the loss
 * contract {@link io.gen4j.gans.GanLoss} with the minimax, non-saturating, hinge, least-squares and
 * Wasserstein losses, WGAN weight clipping, the gradient penalty and R1 computed with an explicit
 * input gradient ({@link io.gen4j.gans.Critic}; no double backward), {@link
 * io.gen4j.gans.SpectralNorm}, conditional GANs (concatenation and the projection discriminator),
 * the training step {@link io.gen4j.gans.GanTraining}, the saveable {@link io.gen4j.gans.GanModel}
 * (family {@code gan}) and the mode-coverage diagnostics {@link io.gen4j.gans.ModeCoverage}.
 */
package io.gen4j.gans;
