package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.UNet;
import java.util.Objects;

/**
 * A trained image DDPM as a gen-core model: a U-Net, its schedule and parameterisation, and a
 * default sampler, saved and loaded through {@code ModelStore} (family {@code ddpm}, spec {@link
 * DdpmSpec}).
 *
 * <p><b>Sampling</b> starts from x_T ~ N(0, I) and runs DDIM (Song et al. 2021) with the {@link
 * SampleOptions}' steps and η, or the spec's defaults; η = 1 over all T steps is DDPM's ancestral
 * sampler with σ² = β̃. Samples are images in the spec's pixel range ([−1, 1]); x̂_0 is clipped to
 * the spec's bound. A class-conditional U-Net (numClasses &gt; 0) gets {@link
 * SampleOptions#labels}; temperature is not used (scaling x_T is not part of DDPM).
 *
 * <p><b>Likelihood</b>: {@link #logLikelihood} is the negative variational bound of Ho et al. (eq.
 * 5, the discrete decoder over 256 bins), estimated with the spec's stride and σ² = β̃: a lower
 * bound on log P(x) of the 8-bit images, in nats (so {@link #isExact()} is false). It costs about
 * T/stride + stride network evaluations per call; a conditional model is evaluated with the null
 * (unconditional) label.
 *
 * @param spec the description
 * @param unet the initialized network
 */
public record DdpmModel(DdpmSpec spec, UNet unet) implements GenerativeModel, LikelihoodModel {

    /** Validates. */
    public DdpmModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(unet, "unet");
        if (!unet.isInitialized()) {
            throw new IllegalArgumentException("the U-Net must be initialized");
        }
    }

    @Override
    public UNet network() {
        return unet;
    }

    /**
     * @param parameters the parameter store of the calls
     * @return the network in inference mode as a diffusion model, with the spec's clipping
     */
    public DiffusionModel diffusionModel(ParameterStore parameters) {
        DiffusionModel m = new DiffusionModel(unet.denoiser(parameters, false), spec.noiseSchedule(),
                spec.prediction());
        return spec.clipX0() > 0 ? m.withClipX0(spec.clipX0()) : m;
    }

    /**
     * @param options steps (0: the spec's), η (NaN: the spec's), label
     * @return the time grid and sampler these options give
     */
    TimeGrid grid(SampleOptions options) {
        spec.checkSampleOptions(options);
        int total = spec.schedule().betas().length;
        int steps = options.stepsOr(spec.sampling().steps());
        return steps == total ? TimeGrid.full(total) : TimeGrid.spaced(total, steps, spec.sampling().spacing());
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        TimeGrid grid = grid(options);
        DdimSampler sampler = new DdimSampler(options.etaOr(spec.sampling().eta()));
        long[] shape = spec.data().shape();
        try (NDManager scope = manager.newSubManager()) {
            NDArray xT = scope.randomNormal(0f, 1f, new Shape(n, shape[0], shape[1], shape[2]), DataType.FLOAT32);
            Condition condition = spec.unet().numClasses() > 0
                    ? Condition.labels(scope.create(options.labels(n, spec.unet().numClasses())))
                    : Condition.none();
            NDArray x = sampler.sample(diffusionModel(new ParameterStore(scope, false)), xT, grid, condition, false)
                    .samples();
            x.attach(manager);
            return x;
        }
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        long dims = x.getShape().size() / x.getShape().get(0);
        VariationalBound bound;
        try (NDManager scope = x.getManager().newSubManager()) {
            x.tempAttach(scope);
            bound = new Ddpm(diffusionModel(new ParameterStore(scope, false)), LossWeighting.uniform())
                    .variationalBound(x, Condition.none(), DdpmVariance.FIXED_SMALL, spec.likelihoodStride());
        }
        double[] bits = bound.perExampleBitsPerDim();
        double[] logP = new double[bits.length];
        for (int i = 0; i < bits.length; i++) {
            logP[i] = -Likelihoods.nllNats(bits[i], dims, 1.0);
        }
        return x.getManager().create(logP);
    }

    @Override
    public boolean isExact() {
        return false;
    }
}
