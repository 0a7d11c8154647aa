/**
 * Normalizing flows with exact likelihood (course topic 11-08).
 *
 * <p>Every transform is a DJL block that implements {@link io.gen4j.core.model.Invertible} in the
 * data → latent direction and returns (output, log|det J|) both ways: {@link
 * io.gen4j.flows.AffineCoupling} (RealNVP) and {@link io.gen4j.flows.AdditiveCoupling} (NICE) with
 * {@link io.gen4j.flows.CouplingMask checkerboard and channel masks}, {@link io.gen4j.flows.ActNorm}, {@link io.gen4j.flows.Squeeze}/{@link
 * io.gen4j.flows.Unsqueeze}, {@link io.gen4j.flows.FactorOut}, {@link
 * io.gen4j.flows.UniformDequantization} and {@link io.gen4j.flows.LogitTransform}; {@link
 * io.gen4j.flows.CompositeTransform} chains them. {@link io.gen4j.flows.NormalizingFlow} adds a
 * {@link io.gen4j.flows.BaseDistribution} and gives log p(x), bits/dim, sampling at a temperature
 * and encoding to latents; {@link io.gen4j.flows.RealNvp} builds the RealNVP architectures (with the couplings of a {@link
 * io.gen4j.flows.CouplingFactory}) and
 * {@link io.gen4j.flows.Density2d} draws 2-D densities and warps.
 */
package io.gen4j.flows;
