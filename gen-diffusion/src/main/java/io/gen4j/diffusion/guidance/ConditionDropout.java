package io.gen4j.diffusion.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;

/**
 * Condition dropout for classifier-free guidance (Ho &amp; Salimans 2022, Algorithm 1): during
 * training each example's condition is replaced by its null form with probability p, so one
 * network learns both the conditional and the unconditional model. Ho &amp; Salimans use p = 0.1
 * or 0.2; Stable Diffusion drops 10 % of the captions.
 *
 * <p>The draws come from the engine generator (one uniform per example), so a seeded run is
 * repeatable and a resumed run continues the same stream. With p = 0 nothing is drawn.
 *
 * @param probability p, in [0, 1]
 * @param nullCondition the null form of the conditions
 */
public record ConditionDropout(double probability, NullCondition nullCondition) {

    /** Validates. */
    public ConditionDropout {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        }
        if (nullCondition == null) {
            throw new IllegalArgumentException("nullCondition must not be null");
        }
    }

    /**
     * @param condition the batch's conditions (N examples); {@link Condition#none()} is returned as is
     * @param manager the manager of the result and of the draws
     * @return each example's condition, or its null form with probability p
     */
    public Condition apply(Condition condition, NDManager manager) {
        if (probability == 0 || condition == null || condition.isNone()) {
            return condition;
        }
        long n = batchSize(condition);
        NDArray u = manager.randomUniform(0f, 1f, new Shape(n), DataType.FLOAT32);
        NDArray keep = u.gte((float) probability).toType(DataType.INT32, false);
        return ConditionBatch.where(keep, condition, nullCondition.nullOf(condition, manager),
                manager);
    }

    private static long batchSize(Condition condition) {
        if (condition instanceof Condition.Labels l) {
            return l.labels().getShape().get(0);
        }
        return ((Condition.Embedding) condition).context().getShape().get(0);
    }
}
