/**
 * The seam for engine-specific fused kernels: {@link io.gen4j.core.kernels.Kernels} names the
 * operations that an engine may run as one native call where gen-core otherwise composes them from
 * DJL's engine-agnostic API. gen-core's composed arithmetic is the default; an engine module (e.g.
 * {@code gen-pytorch}) registers an implementation with {@link java.util.ServiceLoader}.
 */
package io.gen4j.core.kernels;
