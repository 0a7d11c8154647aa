/**
 * The SDE framework of Song et al. 2021: forward SDEs with Gaussian kernels ({@link
 * io.gen4j.score.sde.Sde}: VP, sub-VP, VE and the discrete VP of a DDPM schedule), reverse-time
 * samplers (Euler–Maruyama, predictor–corrector with a Langevin corrector, DDPM-ancestral), the
 * probability-flow ODE ({@link io.gen4j.score.sde.Sde#probabilityFlow}) and the adapters that read a
 * denoiser as a score.
 */
package io.gen4j.score.sde;
