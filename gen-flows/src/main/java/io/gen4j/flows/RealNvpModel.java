package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.PreparedSampler;
import io.gen4j.core.model.SampleOptions;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * A trained RealNVP as a gen-core model, saved and loaded through {@code ModelStore} (family {@code
 * realnvp}, spec {@link RealNvpSpec}): a {@link GenerativeModel} whose sampling reads {@link
 * SampleOptions#temperature()} (the base Gaussian's standard deviation is scaled by it), an exact
 * {@link LikelihoodModel} (for images, of the 8-bit data: the dequantisation's bins are included)
 * and a {@link LatentCodec} (the flow's bijection).
 *
 * @param spec the description
 * @param flow the initialised (and data-initialised) flow
 */
public record RealNvpModel(RealNvpSpec spec, NormalizingFlow flow) implements GenerativeModel, LikelihoodModel,
        LatentCodec {

    /** Validates. */
    public RealNvpModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(flow, "flow");
    }

    @Override
    public NormalizingFlow network() {
        return flow;
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        return flow.sample(manager, n, options.temperature());
    }

    /** The flow's {@link FlowSampler} (its inverse prepared once), drawing at the options' temperature. */
    @Override
    public PreparedSampler prepareSampler(NDManager manager, SampleOptions options) {
        FlowSampler sampler = flow.sampler(manager);
        double temperature = options.temperature();
        return new PreparedSampler() {
            @Override
            public NDArray sample(NDManager m, int n) {
                return sampler.sample(m, n, temperature);
            }

            @Override
            public void close() {
                sampler.close();
            }
        };
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        return flow.logLikelihood(x);
    }

    @Override
    public NDArray encode(NDArray x) {
        return flow.encode(x);
    }

    @Override
    public NDArray decode(NDArray z) {
        return flow.decode(z);
    }

    @Override
    public Shape latentShape() {
        return flow.latentShape();
    }
}
