/** Langevin dynamics: unadjusted and annealed (NCSN), with trajectories for plots. */
package io.gen4j.score.langevin;
