package io.gen4j.core.kernels;

import java.util.Optional;

/** The default: no fused kernel; callers compose every operation from DJL's public API. */
final class ComposedKernels implements Kernels {

    static final ComposedKernels INSTANCE = new ComposedKernels();

    private ComposedKernels() {}

    @Override
    public String engineName() {
        return "any";
    }

    @Override
    public String describe() {
        return "composed";
    }

    @Override
    public Optional<FusedAdam> fusedAdam() {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return describe();
    }
}
