package io.gen4j.diffusion.discrete;

/** The samplers a saved {@link SeddModel} can draw with by default. */
public enum SamplerKind {
    /** {@link EulerSampler}. */
    EULER,
    /** {@link AnalyticSampler}. */
    ANALYTIC;

    /** @return the sampler */
    public DiscreteSampler sampler() {
        return this == EULER ? new EulerSampler() : new AnalyticSampler();
    }
}
