/**
 * Closed-form math that several families share and no family may own: {@link
 * io.gen4j.core.math.Gaussians} (Gaussian log-densities and KL divergences, element-wise on NDArrays
 * and in doubles for the exact toy densities), and {@link io.gen4j.core.math.Scalars} (multiplying,
 * dividing, powers and clamps with a Java number that stay correct under autograd, where DJL 0.36's
 * own ops are not) and {@link io.gen4j.core.math.Slices} (ranges along chosen axes that autograd records only
 * for the axes sliced). Plain functions, no state; it depends on no other gen4j package.
 */
package io.gen4j.core.math;
