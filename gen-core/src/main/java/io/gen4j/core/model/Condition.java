package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What a conditional model is conditioned on: nothing, class labels, or a sequence of embeddings
 * (text tokens for cross-attention).
 *
 * <p>Conditions are values: they hold arrays but never own them; the caller's manager does.
 */
public sealed interface Condition permits Condition.None, Condition.Labels, Condition.Embedding {

    /** The unconditional case (also the "null" condition of classifier-free guidance). */
    static Condition none() {
        return None.INSTANCE;
    }

    /**
     * Integer class labels.
     *
     * @param labels shape (N), integer type
     * @return the condition
     */
    static Condition labels(NDArray labels) {
        return new Labels(labels);
    }

    /**
     * A context sequence for cross-attention.
     *
     * @param context shape (N, L, D)
     * @param mask shape (N, L), 1 for real tokens and 0 for padding, or {@code null} for no padding
     * @return the condition
     */
    static Condition embedding(NDArray context, NDArray mask) {
        return new Embedding(context, mask);
    }

    /** @return true when this condition carries no information */
    default boolean isNone() {
        return this instanceof None;
    }

    /** No condition. */
    enum None implements Condition {
        /** The single instance. */
        INSTANCE
    }

    /**
     * Class labels.
     *
     * @param labels shape (N), integer type
     */
    record Labels(NDArray labels) implements Condition {
        /** Validates the labels. */
        public Labels {
            if (labels == null) {
                throw new IllegalArgumentException("labels must not be null");
            }
            if (labels.getShape().dimension() != 1) {
                throw new IllegalArgumentException(
                        "labels must have shape (N), got " + labels.getShape());
            }
        }
    }

    /**
     * A context sequence.
     *
     * @param context shape (N, L, D)
     * @param mask shape (N, L) or {@code null}
     */
    record Embedding(NDArray context, NDArray mask) implements Condition {
        /** Validates the shapes. */
        public Embedding {
            if (context == null || context.getShape().dimension() != 3) {
                throw new IllegalArgumentException(
                        "context must have shape (N, L, D), got "
                                + (context == null ? "null" : context.getShape()));
            }
            if (mask != null
                    && !mask.getShape().equals(context.getShape().slice(0, 2))) {
                throw new IllegalArgumentException(
                        "mask must have shape " + context.getShape().slice(0, 2)
                                + ", got " + mask.getShape());
            }
        }
    }
}
