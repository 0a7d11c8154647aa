/**
 * Energy-based models: contrastive divergence with short-run Langevin chains and a replay buffer (Du
 * &amp; Mordatch 2019), the energy's score, grid normalisation of 2-D densities, and the EBM family.
 */
package io.gen4j.score.ebm;
