package io.gen4j.diffusion.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import io.gen4j.core.nn.Local;

/**
 * The "null" (unconditional) form of a condition: what a network trained with condition dropout
 * sees when the condition was dropped (Ho &amp; Salimans 2022, "Classifier-Free Diffusion
 * Guidance"). Classifier-free guidance evaluates the network on a condition and on its null form;
 * condition dropout replaces conditions by their null form during training.
 *
 * <p>The null form depends on how the network encodes its condition, not on the condition type
 * alone, so it is a small contract with one factory per encoding:
 *
 * <ul>
 *   <li>{@link #label(int)}: class labels, with a reserved "no label" index (gen-core's {@code
 *       UNet} uses {@code numClasses}, see {@code LabelEmbedding#nullLabel()});
 *   <li>{@link #embedding(NDArray, NDArray)}: a context sequence for cross-attention, with the
 *       embedding of the empty caption (Stable Diffusion's {@code ""} prompt) repeated over the
 *       batch.
 * </ul>
 *
 * A text pipeline with its own encoder passes the encoded empty caption to {@link #embedding}; any
 * other encoding implements this interface.
 */
@FunctionalInterface
public interface NullCondition {

    /**
     * @param condition a condition for N examples (not {@link Condition#none()})
     * @param manager the manager the returned arrays must belong to
     * @return the null condition for the same N examples, of the same kind, arrays in {@code
     *     manager}
     */
    Condition nullOf(Condition condition, NDManager manager);

    /**
     * Class labels whose null form is the reserved label {@code nullLabel}.
     *
     * @param nullLabel the "no label" index, &gt;= 0 (K for a table of K real classes + 1)
     * @return the null form of label conditions
     */
    static NullCondition label(int nullLabel) {
        if (nullLabel < 0) {
            throw new IllegalArgumentException("nullLabel must be >= 0, got " + nullLabel);
        }
        return (condition, manager) -> {
            if (!(condition instanceof Condition.Labels l)) {
                throw new IllegalArgumentException(
                        "a label null condition needs Condition.Labels, got " + kind(condition));
            }
            long n = l.labels().getShape().get(0);
            return Condition.labels(manager.full(new Shape(n), nullLabel, l.labels().getDataType()));
        };
    }

    /**
     * Context sequences whose null form is one fixed sequence (the encoded empty caption), repeated
     * for every example. The arrays are read at each call and copied into the caller's manager;
     * the caller keeps them open while the guided model is used.
     *
     * @param nullContext the null sequence, shape (1, L0, D)
     * @param nullMask its padding mask, shape (1, L0) with 1 for tokens and 0 for padding, or
     *     {@code null} when every position is a token
     * @return the null form of embedding conditions
     */
    static NullCondition embedding(NDArray nullContext, NDArray nullMask) {
        if (nullContext == null || nullContext.getShape().dimension() != 3
                || nullContext.getShape().get(0) != 1) {
            throw new IllegalArgumentException("nullContext must have shape (1, L, D), got "
                    + (nullContext == null ? "null" : nullContext.getShape()));
        }
        if (nullMask != null && !nullMask.getShape().equals(nullContext.getShape().slice(0, 2))) {
            throw new IllegalArgumentException("nullMask must have shape "
                    + nullContext.getShape().slice(0, 2) + ", got " + nullMask.getShape());
        }
        return (condition, manager) -> {
            if (!(condition instanceof Condition.Embedding e)) {
                throw new IllegalArgumentException(
                        "an embedding null condition needs Condition.Embedding, got "
                                + kind(condition));
            }
            long n = e.context().getShape().get(0);
            if (e.context().getShape().get(2) != nullContext.getShape().get(2)) {
                throw new IllegalArgumentException("the null context has width "
                        + nullContext.getShape().get(2) + " but the condition has width "
                        + e.context().getShape().get(2));
            }
            NDArray context = Local.in(manager, nullContext)
                    .repeat(0, n);
            NDArray mask = nullMask == null ? null
                    : Local.in(manager, nullMask).repeat(0, n);
            return Condition.embedding(context, mask);
        };
    }

    private static String kind(Condition condition) {
        return condition == null ? "null" : condition.getClass().getSimpleName();
    }
}
