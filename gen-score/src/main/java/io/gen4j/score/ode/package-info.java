/**
 * ODE solvers (Euler, Heun, RK4, adaptive Dormand–Prince) for vector fields, and the log-likelihood
 * through an ODE with the exact or Hutchinson trace.
 */
package io.gen4j.score.ode;
