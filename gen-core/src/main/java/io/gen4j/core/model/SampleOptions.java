package io.gen4j.core.model;

/**
 * Sampling settings of a {@link GenerativeModel}, each with a "use the model's default" value. A
 * family reads those that apply to it and says so in its javadoc: diffusion models the number of
 * sampler steps and η, flows and VAEs the temperature, conditional models the class label.
 *
 * <pre>{@code
 * model.sample(manager, 64, SampleOptions.defaults().withSteps(50).withEta(0));
 * }</pre>
 *
 * @param steps sampler steps (network evaluations of an iterative sampler); 0 for the model's
 *     default
 * @param eta stochasticity of a DDIM-style sampler in [0, 1] (0 deterministic, 1 ancestral); NaN
 *     for the model's default
 * @param temperature scale of the prior's standard deviation (flows, VAEs) or of logits
 *     (autoregressive models), &gt; 0; 1 is the model itself
 * @param label the class of every sample of a conditional model, or −1 to cycle through the
 *     classes (sample i gets class i mod K); ignored by unconditional models
 */
public record SampleOptions(int steps, double eta, double temperature, int label) {

    /** Validates. */
    public SampleOptions {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0 (0 = the model's default), got " + steps);
        }
        if (!Double.isNaN(eta) && !(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        if (label < -1) {
            throw new IllegalArgumentException("label must be >= 0, or -1 to cycle through the classes, got " + label);
        }
    }

    /** @return every setting at the model's default */
    public static SampleOptions defaults() {
        return new SampleOptions(0, Double.NaN, 1.0, -1);
    }

    /**
     * @param newSteps sampler steps, &gt;= 1, or 0 for the default
     * @return these options with that many steps
     */
    public SampleOptions withSteps(int newSteps) {
        return new SampleOptions(newSteps, eta, temperature, label);
    }

    /**
     * @param newEta η in [0, 1]
     * @return these options with that η
     */
    public SampleOptions withEta(double newEta) {
        return new SampleOptions(steps, newEta, temperature, label);
    }

    /**
     * @param newTemperature T &gt; 0
     * @return these options at that temperature
     */
    public SampleOptions withTemperature(double newTemperature) {
        return new SampleOptions(steps, eta, newTemperature, label);
    }

    /**
     * @param newLabel a class, or −1 to cycle through the classes
     * @return these options with that label
     */
    public SampleOptions withLabel(int newLabel) {
        return new SampleOptions(steps, eta, temperature, newLabel);
    }

    /**
     * @param defaultSteps the model's default
     * @return {@link #steps()}, or the default when it is 0
     */
    public int stepsOr(int defaultSteps) {
        return steps == 0 ? defaultSteps : steps;
    }

    /**
     * @param defaultEta the model's default
     * @return {@link #eta()}, or the default when it is NaN
     */
    public double etaOr(double defaultEta) {
        return Double.isNaN(eta) ? defaultEta : eta;
    }

    /**
     * The labels of n samples of a model with K classes.
     *
     * @param n number of samples
     * @param classes K, at least 1
     * @return n labels: all {@link #label()}, or 0, 1, …, K−1, 0, … when it is −1
     * @throws IllegalArgumentException when the label is not below K
     */
    public int[] labels(int n, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        if (label >= classes) {
            throw new IllegalArgumentException("label must be in [0, " + (classes - 1) + "], got " + label);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = label < 0 ? i % classes : label;
        }
        return out;
    }
}
