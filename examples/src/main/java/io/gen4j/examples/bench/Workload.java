package io.gen4j.examples.bench;

import ai.djl.ndarray.NDManager;

/**
 * One family's reference model as the benchmark times it: a training step (forward, backward,
 * optimizer update) and a sampler unit (one network evaluation of the sampler for the whole batch).
 * Built once, then stepped; {@link #close()} frees its parameters.
 */
public interface Workload extends AutoCloseable {

    /** @return the family name, as given to {@code bench --family} */
    String family();

    /** @return the model and sizes, one line */
    String description();

    /** @return images (or points, or sequences) per step */
    int batch();

    /** @return analytic FLOPs of one training step, or NaN when the project has no count */
    double trainFlops();

    /** @return analytic FLOPs of one sampler unit, or NaN when the project has no count */
    double sampleFlops();

    /**
     * One training step on fresh random inputs drawn in {@code scope}.
     *
     * @param scope a per-step manager, closed by the caller
     * @param step the step index
     */
    void trainStep(NDManager scope, long step);

    /**
     * Runs the sampler for the batch ({@link #sampleUnits()} units) (its arrays in {@code scope}).
     *
     * @param scope a per-step manager, closed by the caller
     */
    void sampleStep(NDManager scope);

    /** @return how many sampler units one {@link #sampleStep} performs (its figures are divided by it) */
    default int sampleUnits() {
        return 1;
    }

    /** @return what one sampler unit is, e.g. "one DDIM step (one U-Net evaluation)" */
    String sampleUnit();

    @Override
    void close();
}
