package io.gen4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import io.gen4j.core.kernels.FusedAdam;
import io.gen4j.core.kernels.MultiTensorOps;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * AdamW (Loshchilov and Hutter 2019, "Decoupled Weight Decay Regularization") with saveable state:
 * the weight decay shrinks the weights directly instead of entering the gradient moments.
 *
 * <pre>
 * w = w (1 - lr wd)
 * m = beta1 m + (1 - beta1) g
 * v = beta2 v + (1 - beta2) g^2
 * w = w - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * as in PyTorch's {@code torch.optim.AdamW}. Use it for transformers and diffusion U-Nets.
 */
public final class AdamW extends ParameterOptimizer {

    private final AdamConfig config;

    /**
     * @param schedule learning-rate schedule
     * @param config betas, epsilon, decoupled weight decay (PyTorch's default is 0.01)
     * @param blocks initialized blocks to optimize
     */
    public AdamW(LearningRateSchedule schedule, AdamConfig config, Block... blocks) {
        super(schedule, 2, blocks);
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The optimizer a training step makes for its network, e.g. {@code
     * ObjectiveStep.builder().setOptimizer(AdamW.factory(schedule, config))}.
     *
     * @param schedule learning-rate schedule
     * @param config hyperparameters
     * @return a factory of AdamW optimizers with these settings
     */
    public static OptimizerFactory factory(LearningRateSchedule schedule, AdamConfig config) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(config, "config");
        return network -> new AdamW(schedule, config, network);
    }

    /** @return the hyperparameters */
    public AdamConfig config() {
        return config;
    }

    @Override
    protected void apply(NDArray weight, NDArray grad, NDArray[] state, float lr, long t) {
        Optional<FusedAdam> fused = kernels().fusedAdam();
        if (fused.isPresent()) {
            fused.get().update(weight, grad, state[0], state[1], Adam.update(lr, t, config, true));
            return;
        }
        if (config.weightDecay() > 0) {
            constants().timesInPlace(weight, (float) (1.0 - lr * config.weightDecay()));
        }
        Adam.adamStep(weight, grad, state[0], state[1], lr, t, config, constants());
    }

    /** One multi-tensor kernel call for every parameter, where the engine has one (it may decline). */
    @Override
    protected boolean applyAll(List<NDArray> weights, List<NDArray> grads, List<List<NDArray>> states, float lr,
            long t) {
        Optional<MultiTensorOps> multi = kernels().multiTensor();
        return multi.isPresent()
                && multi.get().adam(weights, grads, states.get(0), states.get(1), Adam.update(lr, t, config, true));
    }

    @Override
    protected String kind() {
        return "adamw";
    }
}
