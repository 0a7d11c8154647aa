/**
 * gen-core's {@link io.gen4j.core.kernels.Kernels} for DJL's PyTorch engine: the operations DJL 0.36's
 * JNI layer runs as one native call where gen-core composes them (the Adam/AdamW update), and libtorch
 * operators DJL does not expose ({@code silu}, {@code group_norm}, attention, the multi-tensor optimizer and list
 * operations, bfloat16 casts, strided views, and the {@code out=}/in-place operations of
 * {@link io.gen4j.core.kernels.InPlaceOps}) through their exported operator entry points ({@code AtenOps}, Linux
 * x86-64). Where one of those operators is measured slow for some inputs, the kernel computes those itself
 * ({@code ChannelsLastGroupNorm}: channels-last group norms of few positions and odd group sizes).
 */
package io.gen4j.pytorch;
