package io.gen4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an {@link Objective} returns for one batch: the scalar {@code total} that training
 * differentiates, and named scalar parts (reconstruction, KL, NLL, bits/dim, …) for the log.
 *
 * <p>The step that runs the objective turns every term into a metric: {@code loss} for the total,
 * and each term under its own name (prefixed by the player's name in a {@link MultiPlayerStep}).
 *
 * @param total the scalar loss to minimise, shape () or (1)
 * @param terms named scalar parts, in insertion order; never {@code loss}, which is the total's name
 */
public record LossTerms(NDArray total, Map<String, NDArray> terms) {

    /** Validates and freezes the terms. */
    public LossTerms {
        if (total == null || total.getShape().size() != 1) {
            throw new IllegalArgumentException(
                    "total must be a scalar, got " + (total == null ? "null" : total.getShape()));
        }
        if (terms.containsKey("loss")) {
            throw new IllegalArgumentException("'loss' is the name of the total; name the term otherwise");
        }
        for (Map.Entry<String, NDArray> e : terms.entrySet()) {
            if (e.getValue() == null || e.getValue().getShape().size() != 1) {
                throw new IllegalArgumentException("term '" + e.getKey() + "' must be a scalar, got "
                        + (e.getValue() == null ? "null" : e.getValue().getShape()));
            }
        }
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    /**
     * @param total the scalar loss
     * @return the loss with no further terms
     */
    public static LossTerms of(NDArray total) {
        return new LossTerms(total, Map.of());
    }

    /** @return {@code loss} (the total) and every term, as doubles, in insertion order */
    public Map<String, Double> metrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", toDouble(total));
        for (Map.Entry<String, NDArray> e : terms.entrySet()) {
            out.put(e.getKey(), toDouble(e.getValue()));
        }
        return out;
    }

    private static double toDouble(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }
}
