package io.gen4j.core.data.toy;

/** Argument checks of the toy distributions' records. */
final class Checks {

    private Checks() {}

    /**
     * @param name the parameter's name, for the message
     * @param value the value
     * @throws IllegalArgumentException unless the value is positive and finite
     */
    static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
    }
}
