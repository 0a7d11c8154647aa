/**
 * Synthetic 2-D data sets with exactly known densities (Tribuo-style generators in main code): the
 * playground of every family before images. Each {@link io.gen4j.core.data.toy.Toy2d} samples with a
 * seed and evaluates its exact {@code log p(x, y)}; {@link io.gen4j.core.data.toy.OracleEntropy}
 * turns that into the entropy {@code H = -E[log p]}, the lowest test NLL any model can reach.
 */
package io.gen4j.core.data.toy;
