package io.gen4j.autoencoders;

import io.gen4j.core.train.LossTerms;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.Map;

/** A plain training loop for tests: per-step scope, Adam, gradients zeroed after each update, handles closed. */
final class TinyTrainer {

    /** Computes the loss of one batch. */
    interface Objective {
        LossTerms loss(ParameterStore ps, NDManager scope, long step);
    }

    private final Block block;
    private final NDManager manager;
    private final Optimizer adam;
    private final ParameterStore ps;

    TinyTrainer(Block block, NDManager manager, float learningRate) {
        this.block = block;
        this.manager = manager;
        this.adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
        this.ps = new ParameterStore(manager, false);
    }

    /** Runs steps and returns the metrics of the last one. */
    Map<String, Double> run(Objective objective, int steps) {
        Map<String, Double> last = null;
        for (int step = 0; step < steps; step++) {
            try (NDManager scope = manager.newSubManager()) {
                LossTerms terms;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    terms = objective.loss(ps, scope, step);
                    gc.backward(terms.total());
                }
                for (Pair<String, Parameter> p : block.getParameters()) {
                    Parameter param = p.getValue();
                    if (!param.requiresGradient()) {
                        continue;
                    }
                    try (NDArray g = param.getArray().getGradient()) {
                        adam.update(param.getId(), param.getArray(), g);
                        g.muli(0f); // DJL does not zero gradients when a collector opens (known-issues §2)
                    }
                }
                last = terms.metrics();
            }
        }
        return last;
    }
}
