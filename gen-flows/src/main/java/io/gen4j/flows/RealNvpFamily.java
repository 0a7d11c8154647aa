package io.gen4j.flows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.ModelFamily;

/**
 * Builds {@link RealNvpModel}s from their {@link RealNvpSpec}: the {@code realnvp} family of
 * docs/model-format.md, registered for {@code ModelStore} in {@code
 * META-INF/services/io.gen4j.core.model.ModelFamily}. The saved parameters include ActNorm's
 * data-initialisation flag, so a loaded flow needs no data.
 */
public final class RealNvpFamily implements ModelFamily<RealNvpSpec> {

    @Override
    public String name() {
        return RealNvpSpec.FAMILY;
    }

    @Override
    public Class<RealNvpSpec> specType() {
        return RealNvpSpec.class;
    }

    @Override
    public RealNvpModel create(RealNvpSpec spec, NDManager manager) {
        NormalizingFlow flow = spec.build();
        long[] one = spec.data().shape();
        long[] batch = new long[one.length + 1];
        batch[0] = 1;
        System.arraycopy(one, 0, batch, 1, one.length);
        flow.initialize(manager, DataType.FLOAT32, new Shape(batch));
        return new RealNvpModel(spec, flow);
    }
}
