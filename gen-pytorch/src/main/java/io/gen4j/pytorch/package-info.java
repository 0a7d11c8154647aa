/**
 * gen-core's {@link io.gen4j.core.kernels.Kernels} for DJL's PyTorch engine: the operations DJL 0.36's
 * JNI layer runs as one native call where gen-core composes them (today the Adam/AdamW update).
 */
package io.gen4j.pytorch;
