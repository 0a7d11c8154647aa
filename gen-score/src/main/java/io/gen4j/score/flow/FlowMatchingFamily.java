package io.gen4j.score.flow;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;

/** Builds {@link FlowMatchingModel}s from their specs (family {@code flow-matching}). */
public final class FlowMatchingFamily implements ModelFamily<FlowMatchingSpec> {

    @Override
    public String name() {
        return FlowMatchingSpec.FAMILY;
    }

    @Override
    public Class<FlowMatchingSpec> specType() {
        return FlowMatchingSpec.class;
    }

    @Override
    public FlowMatchingModel create(FlowMatchingSpec spec, NDManager manager) {
        return FlowMatchingModel.create(spec, manager);
    }
}
