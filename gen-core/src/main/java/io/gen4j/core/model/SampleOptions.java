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
 * @param classes the classes to cycle through instead (sample i gets classes[i mod L]); empty for
 *     {@code label}'s rule
 * @param guidance the classifier-free guidance scale w ≥ 0 of a conditional diffusion model (ε̂ =
 *     ε_∅ + w·(ε_c − ε_∅): 0 unconditional, 1 conditional, &gt; 1 guided; diffusers' {@code
 *     guidance_scale}); NaN for the model's default
 * @param sampler the name of a sampler the model offers (diffusion: {@code ddpm}, {@code ddim},
 *     {@code euler}, {@code heun}, {@code dpmpp-2m}; NCSN: {@code annealed-langevin}, {@code pc});
 *     null for the model's default
 */
public record SampleOptions(int steps, double eta, double temperature, int label, int[] classes, double guidance,
        String sampler) {

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
        classes = classes == null ? new int[0] : classes.clone();
        for (int c : classes) {
            if (c < 0) {
                throw new IllegalArgumentException("classes must be >= 0, got " + java.util.Arrays.toString(classes));
            }
        }
        if (!Double.isNaN(guidance) && !(guidance >= 0 && guidance < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("guidance must be finite and >= 0 (0 unconditional, 1 conditional), got "
                    + guidance);
        }
        if (sampler != null && sampler.isBlank()) {
            throw new IllegalArgumentException("sampler must not be blank (null: the model's default)");
        }
    }

    /**
     * The options without classes, guidance or sampler choice (the model's defaults).
     *
     * @param steps sampler steps, 0 for the default
     * @param eta η, NaN for the default
     * @param temperature temperature
     * @param label the class, or −1
     */
    public SampleOptions(int steps, double eta, double temperature, int label) {
        this(steps, eta, temperature, label, new int[0], Double.NaN, null);
    }

    /** @return a copy of the classes to cycle through (empty: {@link #label()}'s rule) */
    @Override
    public int[] classes() {
        return classes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleOptions s && steps == s.steps && Double.compare(eta, s.eta) == 0
                && Double.compare(temperature, s.temperature) == 0 && label == s.label
                && java.util.Arrays.equals(classes, s.classes) && Double.compare(guidance, s.guidance) == 0
                && java.util.Objects.equals(sampler, s.sampler);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(steps, eta, temperature, label, java.util.Arrays.hashCode(classes), guidance,
                sampler);
    }

    @Override
    public String toString() {
        return "SampleOptions[steps=" + steps + ", eta=" + eta + ", temperature=" + temperature + ", label=" + label
                + ", classes=" + java.util.Arrays.toString(classes) + ", guidance=" + guidance + ", sampler=" + sampler
                + "]";
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
        return new SampleOptions(newSteps, eta, temperature, label, classes, guidance, sampler);
    }

    /**
     * @param newEta η in [0, 1]
     * @return these options with that η
     */
    public SampleOptions withEta(double newEta) {
        return new SampleOptions(steps, newEta, temperature, label, classes, guidance, sampler);
    }

    /**
     * @param newTemperature T &gt; 0
     * @return these options at that temperature
     */
    public SampleOptions withTemperature(double newTemperature) {
        return new SampleOptions(steps, eta, newTemperature, label, classes, guidance, sampler);
    }

    /**
     * @param newLabel a class, or −1 to cycle through the classes
     * @return these options with that label
     */
    public SampleOptions withLabel(int newLabel) {
        return new SampleOptions(steps, eta, temperature, newLabel, classes, guidance, sampler);
    }

    /**
     * @param newClasses the classes to cycle through, each &gt;= 0 (empty: {@link #label()}'s rule)
     * @return these options with those classes
     */
    public SampleOptions withClasses(int... newClasses) {
        return new SampleOptions(steps, eta, temperature, label, newClasses, guidance, sampler);
    }

    /**
     * @param newGuidance w ≥ 0, or NaN for the model's default
     * @return these options with that guidance scale
     */
    public SampleOptions withGuidance(double newGuidance) {
        return new SampleOptions(steps, eta, temperature, label, classes, newGuidance, sampler);
    }

    /**
     * @param newSampler a sampler name, or null for the model's default
     * @return these options with that sampler
     */
    public SampleOptions withSampler(String newSampler) {
        return new SampleOptions(steps, eta, temperature, label, classes, guidance, newSampler);
    }

    /**
     * @param defaultGuidance the model's default
     * @return {@link #guidance()}, or the default when it is NaN
     */
    public double guidanceOr(double defaultGuidance) {
        return Double.isNaN(guidance) ? defaultGuidance : guidance;
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
     * @param count K, at least 1
     * @return n labels: {@link #classes()} cycled when given, else all {@link #label()}, or 0, 1, …,
     *     K−1, 0, … when it is −1
     * @throws IllegalArgumentException when the label or one of the classes is not below K
     */
    public int[] labels(int n, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + count);
        }
        if (label >= count) {
            throw new IllegalArgumentException("label must be in [0, " + (count - 1) + "], got " + label);
        }
        for (int c : classes) {
            if (c >= count) {
                throw new IllegalArgumentException("classes must be in [0, " + (count - 1) + "], got "
                        + java.util.Arrays.toString(classes));
            }
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = classes.length > 0 ? classes[i % classes.length] : label < 0 ? i % count : label;
        }
        return out;
    }
}
