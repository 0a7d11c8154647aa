/**
 * Autoregressive models with exact likelihood (course topic 11-10): p(x) = Π_d p(x_d | x_&lt;d),
 * every conditional from one pass of a network whose weights are masked by one rule, {@link
 * io.gen4j.autoregressive.AutoregressiveMasks} (degrees: m_out &gt;= m_in for hidden layers, m_out &gt;
 * m_in for outputs).
 *
 * <ul>
 *   <li>{@link io.gen4j.autoregressive.Made} (dense masks; orderings, mask resampling,
 *       order-agnostic ensembles; Bernoulli or Gaussian-mixture conditionals), saved as {@link
 *       io.gen4j.autoregressive.MadeModel} (family {@code made});
 *   <li>{@link io.gen4j.autoregressive.PixelCnn} (raster masks A/B through {@link
 *       io.gen4j.autoregressive.MaskedConv2d}; the gated network with vertical and horizontal stacks;
 *       class conditioning; the pixel distributions of {@link io.gen4j.autoregressive.PixelOutput}),
 *       saved as {@link io.gen4j.autoregressive.PixelCnnModel} (family {@code pixelcnn});
 *   <li>{@link io.gen4j.autoregressive.WaveNet} (dilated causal convolutions through {@link
 *       io.gen4j.autoregressive.MaskedConv1d}, gated residual and skip connections, μ-law classes,
 *       the receptive field of {@link io.gen4j.autoregressive.WaveNetConfig}, naive and cached
 *       generation), saved as {@link io.gen4j.autoregressive.WaveNetModel} (family {@code wavenet}).
 * </ul>
 *
 * <p>Causality is checked from outside with gen-core's test kit {@code
 * io.gen4j.core.testing.CausalityChecks}, which a user's own masked block can use too.
 */
package io.gen4j.autoregressive;
