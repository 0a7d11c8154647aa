package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The reparameterised gradient of E_q[f(z)] agrees with the score-function (REINFORCE) estimate and
 * with the closed form, on f(z) = (z − c)² and q = N(μ, σ²):
 *
 * <pre>
 *   E[f] = (μ − c)² + σ²,   ∂/∂μ = 2(μ − c),   ∂/∂logσ² = σ²
 *   reparameterised: ∇ f(μ + σε);   score function: f(z) ∇ log q(z) with a mean baseline
 * </pre>
 */
class ReparameterizationTest {

    @Test
    void reparameterisedGradientMatchesScoreFunctionAndClosedForm() {
        int n = 400_000;
        double c = 0.7;
        double muValue = -0.4;
        double logVarValue = Math.log(0.5);
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Engine.getInstance().setRandomSeed(21);
            NDArray mu = m.create(new double[] {muValue});
            NDArray logVar = m.create(new double[] {logVarValue});
            mu.setRequiresGradient(true);
            logVar.setRequiresGradient(true);
            double[] reparam = new double[2];
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Posterior q = new Posterior(m.zeros(new Shape(n, 1), DataType.FLOAT64).add(mu),
                        m.zeros(new Shape(n, 1), DataType.FLOAT64).add(logVar));
                NDArray f = q.sample().sub(c).square().mean();
                gc.backward(f);
            }
            reparam[0] = mu.getGradient().getDouble(0);
            reparam[1] = logVar.getGradient().getDouble(0);

            // Score function: ∇ log q(z) = ((z − μ)/σ², ½((z − μ)²/σ² − 1)); z drawn without gradient.
            double sigma2 = Math.exp(logVarValue);
            NDArray z = m.randomNormal(0, 1, new Shape(n), DataType.FLOAT64).mul(Math.sqrt(sigma2)).add(muValue);
            NDArray f = z.sub(c).square();
            NDArray centred = f.sub(f.mean());
            NDArray dMu = z.sub(muValue).div(sigma2);
            NDArray dLogVar = z.sub(muValue).square().div(sigma2).sub(1).mul(0.5);
            double scoreMu = centred.mul(dMu).mean().getDouble();
            double scoreLogVar = centred.mul(dLogVar).mean().getDouble();

            double exactMu = 2 * (muValue - c);
            double exactLogVar = sigma2;
            assertEquals(exactMu, reparam[0], 0.01, "reparameterised ∂/∂μ");
            assertEquals(exactLogVar, reparam[1], 0.01, "reparameterised ∂/∂logσ²");
            assertEquals(exactMu, scoreMu, 0.03, "score-function ∂/∂μ");
            assertEquals(exactLogVar, scoreLogVar, 0.03, "score-function ∂/∂logσ²");
            assertEquals(reparam[0], scoreMu, 0.04);
            assertEquals(reparam[1], scoreLogVar, 0.04);
        }
    }
}
