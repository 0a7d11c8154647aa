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
 * sampler with σ² = β̃. {@link SampleOptions#sampler()} picks another sampler ({@link
 * DdpmSpec#SAMPLERS}): {@code ddpm} ancestral sampling ({@link DdpmSampler}, σ² = β̃) on the
 * spec's spacing, {@code ddim}, or the σ-space samplers {@code euler}, {@code heun} and {@code
 * dpmpp-2m} ({@code io.gen4j.diffusion.sampling}) on Karras et al.'s levels (ρ = 7, σ_max = 80,
 * σ_min = 0.002 clamped to the trained range) for a linspace grid of the options' steps; Heun's
 * network evaluations are 2·steps − 1, the others' steps. Samples are images in the spec's pixel
 * range ([−1, 1]); x̂_0 is clipped to the spec's bound. A class-conditional U-Net (numClasses &gt;
 * 0) gets {@link SampleOptions#labels}, and with a {@link SampleOptions#guidance()} w ≠ 1
 * classifier-free guidance ({@code ClassifierFreeGuidance}, the null label numClasses; meaningful
 * when the model was trained with label dropout); the default w = 1 is the conditional model
 * itself. Temperature is not used (scaling x_T is not part of DDPM).
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
        String name = options.sampler();
        Spacing spacing = name == null || name.equals("ddpm") || name.equals("ddim") ? spec.sampling().spacing()
                : Spacing.LINSPACE;
        return steps == total ? TimeGrid.full(total) : TimeGrid.spaced(total, steps, spacing);
    }

    /**
     * @param options the options (checked by {@link #grid})
     * @return the sampler they name
     */
    Sampler sampler(SampleOptions options) {
        String name = options.sampler() == null ? "ddim" : options.sampler();
        return switch (name) {
            case "ddpm" -> DdpmSampler.defaults();
            case "ddim" -> new DdimSampler(options.etaOr(spec.sampling().eta()));
            case "euler" -> io.gen4j.diffusion.sampling.KarrasEulerSampler.karras();
            case "heun" -> io.gen4j.diffusion.sampling.KarrasHeunSampler.karras();
            case "dpmpp-2m" -> io.gen4j.diffusion.sampling.DpmSolverPlusPlusSampler.karras();
            default -> throw new IllegalArgumentException("sampler must be one of "
                    + String.join(", ", DdpmSpec.SAMPLERS) + ", got '" + name + "'");
        };
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        TimeGrid grid = grid(options);
        Sampler sampler = sampler(options);
        long[] shape = spec.data().shape();
        int classes = spec.unet().numClasses();
        try (NDManager scope = manager.newSubManager()) {
            NDArray xT = scope.randomNormal(0f, 1f, new Shape(n, shape[0], shape[1], shape[2]), DataType.FLOAT32);
            Condition condition = classes > 0 ? Condition.labels(scope.create(options.labels(n, classes)))
                    : Condition.none();
            DiffusionModel model = diffusionModel(new ParameterStore(scope, false));
            double w = options.guidanceOr(1);
            if (classes > 0 && w != 1) {
                model = io.gen4j.diffusion.guidance.ClassifierFreeGuidance.guide(model, w, 0,
                        io.gen4j.diffusion.guidance.NullCondition.label(classes));
            }
            NDArray x = sampler.sample(model, xT, grid, condition, false).samples();
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
