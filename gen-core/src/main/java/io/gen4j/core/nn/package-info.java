/**
 * Neural-network blocks shared by every gen4j family: guarded convolutions (1-D, 2-D, transposed,
 * upsampling), GroupNorm, MLPs, residual blocks, label and time embeddings.
 *
 * <p>Every convolution goes through {@link io.gen4j.core.runtime.ConvGuard}. Each block has a static
 * functional twin (DJL's convention) where that makes sense, and is initialised like its PyTorch
 * counterpart so that results can be compared with reference implementations.
 */
package io.gen4j.core.nn;
