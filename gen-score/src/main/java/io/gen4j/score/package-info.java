/**
 * Score-based and energy-based generative models: score functions and vector fields (the two small
 * contracts here), the SDE framework ({@code sde}), ODE solvers and the likelihood through the ODE
 * ({@code ode}), score matching ({@code matching}), Langevin dynamics ({@code langevin}),
 * energy-based models ({@code ebm}) and flow matching with rectified flow ({@code flow}).
 */
package io.gen4j.score;
