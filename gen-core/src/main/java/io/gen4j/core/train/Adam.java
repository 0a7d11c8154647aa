package io.gen4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import io.gen4j.core.kernels.AdamUpdate;
import io.gen4j.core.kernels.FusedAdam;
import io.gen4j.core.kernels.MultiTensorOps;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Adam (Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization") with saveable state.
 *
 * <p>With gradient {@code g} (plus {@code wd * w} when weight decay is set, the coupled L2 form),
 * update index {@code t} (1-based) and rate {@code lr}:
 *
 * <pre>
 * m = beta1 m + (1 - beta1) g
 * v = beta2 v + (1 - beta2) g^2
 * w = w - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * which is PyTorch's {@code torch.optim.Adam}. DJL's Adam puts {@code eps} outside the bias
 * correction; with the usual eps the two agree to about {@code eps / sqrt(v)}.
 */
public final class Adam extends ParameterOptimizer {

    private final AdamConfig config;

    /**
     * @param schedule learning-rate schedule
     * @param config betas, epsilon, coupled weight decay
     * @param blocks initialized blocks to optimize
     */
    public Adam(LearningRateSchedule schedule, AdamConfig config, Block... blocks) {
        super(schedule, 2, blocks);
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The optimizer a training step makes for its network, e.g. {@code
     * ObjectiveStep.builder().setOptimizer(Adam.factory(schedule, config))}.
     *
     * @param schedule learning-rate schedule
     * @param config hyperparameters
     * @return a factory of Adam optimizers with these settings
     */
    public static OptimizerFactory factory(LearningRateSchedule schedule, AdamConfig config) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(config, "config");
        return network -> new Adam(schedule, config, network);
    }

    /** @return the hyperparameters */
    public AdamConfig config() {
        return config;
    }

    @Override
    protected void apply(NDArray weight, NDArray grad, NDArray[] state, float lr, long t) {
        Optional<FusedAdam> fused = kernels().fusedAdam();
        if (fused.isPresent()) {
            fused.get().update(weight, grad, state[0], state[1], update(lr, t, config, false));
            return;
        }
        NDArray g = grad;
        if (config.weightDecay() > 0) {
            g = grad.add(constants().times(weight, (float) config.weightDecay()));
        }
        adamStep(weight, g, state[0], state[1], lr, t, config, constants());
    }

    /** One multi-tensor kernel call for every parameter, where the engine has one (it may decline). */
    @Override
    protected boolean applyAll(List<NDArray> weights, List<NDArray> grads, List<List<NDArray>> states, float lr,
            long t) {
        Optional<MultiTensorOps> multi = kernels().multiTensor();
        return multi.isPresent()
                && multi.get().adam(weights, grads, states.get(0), states.get(1), update(lr, t, config, false));
    }

    @Override
    protected String kind() {
        return "adam";
    }

    /** The hyperparameters of one update, for a fused kernel. */
    static AdamUpdate update(float lr, long t, AdamConfig c, boolean decoupled) {
        return new AdamUpdate(lr, t, c.beta1(), c.beta2(), c.epsilon(), c.weightDecay(), decoupled);
    }

    /** The moment update and the bias-corrected step shared with {@link AdamW}. */
    static void adamStep(NDArray w, NDArray g, NDArray m, NDArray v, float lr, long t,
            AdamConfig c, UpdateConstants k) {
        float beta1 = (float) c.beta1();
        float beta2 = (float) c.beta2();
        k.timesInPlace(m, beta1).addi(k.times(g, 1f - beta1));
        k.timesInPlace(v, beta2).addi(k.timesInPlace(g.square(), 1f - beta2));
        double correction1 = 1.0 - Math.pow(c.beta1(), t);
        double sqrtCorrection2 = Math.sqrt(1.0 - Math.pow(c.beta2(), t));
        NDArray denominator = k.plusInPlace(k.dividedByInPlace(v.sqrt(), (float) sqrtCorrection2),
                (float) c.epsilon());
        w.subi(k.timesInPlace(m.div(denominator), (float) (lr / correction1)));
    }
}
