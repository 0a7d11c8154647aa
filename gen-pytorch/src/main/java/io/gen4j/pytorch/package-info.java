/**
 * gen-core's {@link io.gen4j.core.kernels.Kernels} for DJL's PyTorch engine: the operations DJL 0.36's
 * JNI layer runs as one native call where gen-core composes them (the Adam/AdamW update), and libtorch's
 * {@code silu} and {@code group_norm}, which DJL does not expose, through their exported operator entry
 * points ({@code AtenOps}, Linux x86-64).
 */
package io.gen4j.pytorch;
