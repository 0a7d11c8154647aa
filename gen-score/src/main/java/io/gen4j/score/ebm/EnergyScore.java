package io.gen4j.score.ebm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.gen4j.score.ScoreFunction;

/**
 * The score of an energy-based model p(x) ∝ e^{−E(x)}: s(x) = −∇ₓE(x), by one ordinary backward pass
 * (a {@code GradientCollector} of its own: call it where no other is open, e.g. in an objective's
 * {@code prepare}). The energy's parameters receive gradients from that pass; zero them ({@code
 * Gradients.zero}) before the training backward.
 */
public final class EnergyScore {

    private EnergyScore() {}

    /**
     * @param energy E: (N, D) → (N, 1)
     * @param parameters the parameter store of the calls
     * @return the energy, shape (N), in the manager of x
     */
    public static java.util.function.Function<NDArray, NDArray> energy(Block energy, ParameterStore parameters) {
        return x -> energy.forward(parameters, new NDList(x), false).head().reshape(-1);
    }

    /**
     * @param energy E
     * @param parameters the parameter store of the calls
     * @return −∇E as a score (time ignored)
     */
    public static ScoreFunction of(Block energy, ParameterStore parameters) {
        return (x, t) -> {
            NDArray xg = x.duplicate();
            xg.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(energy.forward(parameters, new NDList(xg), false).head().sum());
            }
            NDArray score;
            try (NDArray grad = xg.getGradient()) {
                score = grad.neg();
            }
            xg.close();
            return score;
        };
    }
}
