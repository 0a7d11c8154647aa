package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of an objective: the scalar {@code total} that training differentiates, and named
 * scalar parts (reconstruction, KL, …) for logging.
 *
 * @param total the scalar loss
 * @param terms named scalar parts, in insertion order; may include {@code total} itself
 */
public record LossTerms(NDArray total, Map<String, NDArray> terms) {

    /** Validates and freezes the terms. */
    public LossTerms {
        if (total == null || total.getShape().size() != 1) {
            throw new IllegalArgumentException(
                    "total must be a scalar, got " + (total == null ? "null" : total.getShape()));
        }
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    /** @return every term as a double, plus {@code "loss"} for the total */
    public Map<String, Double> metrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", total.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
        for (Map.Entry<String, NDArray> e : terms.entrySet()) {
            out.put(e.getKey(), e.getValue().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
        }
        return out;
    }
}
