package io.gen4j.core.train;

import ai.djl.nn.Block;

/**
 * Makes the optimizer of a network once a training step knows the network (from its {@link
 * Objective}), so the network is never passed twice: {@code Adam.factory(schedule, config)}, or
 * any lambda {@code network -> new MyOptimizer(..., network)}.
 */
@FunctionalInterface
public interface OptimizerFactory {

    /**
     * @param network the initialized network whose trainable parameters the optimizer updates
     * @return a new optimizer over them
     */
    ParameterOptimizer create(Block network);
}
