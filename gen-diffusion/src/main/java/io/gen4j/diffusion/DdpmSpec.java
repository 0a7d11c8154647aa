package io.gen4j.diffusion;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.UNetConfig;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything that rebuilds a {@link DdpmModel}: the U-Net, the noise schedule (its exact β values,
 * so a custom or re-parameterised schedule comes back as it was), what the network predicts, the
 * clipping bound of x̂_0, the data it was trained on (image shape and pixel range), and the
 * sampler it draws with by default. Saved as the {@code spec} of {@code model.json} (family {@code
 * ddpm}, docs/model-format.md). Class conditioning is the U-Net's {@code numClasses}.
 *
 * @param unet the network
 * @param schedule the noise schedule
 * @param prediction what the network predicts
 * @param clipX0 the bound x̂_0 is clipped to when sampling ([−clipX0, clipX0]), or 0 for none
 * @param data the image shape (C, H, W) and the pixel range the model works in
 * @param sampling the default sampler: DDIM steps, η and spacing
 * @param likelihoodStride the stride of the variational bound that {@link
 *     DdpmModel#logLikelihood} estimates (1 = every step, exact bound)
 */
public record DdpmSpec(UNetConfig unet, Schedule schedule, Prediction prediction, double clipX0,
        DataSpec data, Sampling sampling, int likelihoodStride) implements ModelSpec {

    /** The family name in model.json. */
    public static final String FAMILY = "ddpm";

    /** Validates. */
    public DdpmSpec {
        Objects.requireNonNull(unet, "unet");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(sampling, "sampling");
        if (data == null || !data.isImage()) {
            throw new IllegalArgumentException("a DDPM models images: data must be (C, H, W) with a pixel range, got "
                    + data);
        }
        if (data.shape()[0] != unet.inChannels() || unet.outChannels() != unet.inChannels()) {
            throw new IllegalArgumentException("the U-Net's channels (" + unet.inChannels() + " in, "
                    + unet.outChannels() + " out) must equal the data's " + data.shape()[0]);
        }
        if (!(clipX0 >= 0) || Double.isInfinite(clipX0)) {
            throw new IllegalArgumentException("clipX0 must be finite and >= 0 (0 = no clipping), got " + clipX0);
        }
        int steps = schedule.betas().length;
        if (sampling.steps() > steps) {
            throw new IllegalArgumentException("sampling steps must be in [1, " + steps + "], got " + sampling.steps());
        }
        if (likelihoodStride < 1 || likelihoodStride >= steps) {
            throw new IllegalArgumentException("likelihoodStride must be in [1, " + (steps - 1) + "], got "
                    + likelihoodStride);
        }
    }

    /**
     * The usual spec of an image DDPM: data in [−1, 1], x̂_0 clipped to [−1, 1], DDIM η = 0 with
     * 50 linspace steps by default, the variational bound at stride 10.
     *
     * @param unet the network
     * @param schedule the schedule
     * @param prediction the parameterisation
     * @param height image height
     * @param width image width
     * @return the spec
     */
    public static DdpmSpec of(UNetConfig unet, NoiseSchedule schedule, Prediction prediction, int height,
            int width) {
        return new DdpmSpec(unet, Schedule.of(schedule), prediction, 1.0,
                DataSpec.image(unet.inChannels(), height, width, PixelRange.MINUS_ONE_ONE),
                new Sampling(Math.min(50, schedule.steps()), 0.0, Spacing.LINSPACE),
                Math.min(10, schedule.steps() - 1));
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** @return the noise schedule, rebuilt exactly */
    public NoiseSchedule noiseSchedule() {
        return schedule.toNoiseSchedule();
    }

    /**
     * A noise schedule as saved: its family (for readers) and its exact β values (for the model).
     *
     * @param type where the schedule came from; {@code CUSTOM} for β given by the user
     * @param betas β_0 … β_{T−1}
     */
    public record Schedule(NoiseSchedule.Type type, double[] betas) {

        /** Validates and copies. */
        public Schedule {
            Objects.requireNonNull(type, "type");
            if (betas == null || betas.length < 2) {
                throw new IllegalArgumentException("a schedule needs at least 2 betas");
            }
            betas = betas.clone();
        }

        /**
         * @param schedule a schedule
         * @return its saved form
         */
        public static Schedule of(NoiseSchedule schedule) {
            return new Schedule(schedule.type(), schedule.betas());
        }

        /**
         * @return the schedule: the built-in one of this type and length when its β are exactly
         *     these, else {@link NoiseSchedule#fromBetas} (a linear or cosine schedule with
         *     non-default parameters comes back with these β, as type {@code CUSTOM})
         */
        public NoiseSchedule toNoiseSchedule() {
            NoiseSchedule custom = NoiseSchedule.fromBetas(betas);
            if (type != NoiseSchedule.Type.CUSTOM) {
                NoiseSchedule builtIn = type.create(betas.length);
                if (builtIn.equals(custom)) {
                    return builtIn;
                }
            }
            return custom;
        }

        @Override
        public double[] betas() {
            return betas.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Schedule s && type == s.type && Arrays.equals(betas, s.betas);
        }

        @Override
        public int hashCode() {
            return 31 * type.hashCode() + Arrays.hashCode(betas);
        }

        @Override
        public String toString() {
            return "Schedule[" + type + ", T=" + betas.length + "]";
        }
    }

    /**
     * The sampler a saved model draws with when {@link io.gen4j.core.model.SampleOptions} leave it
     * to the model.
     *
     * @param steps DDIM steps, at least 1 (the whole schedule for ancestral DDPM)
     * @param eta η in [0, 1]: 0 deterministic DDIM, 1 ancestral
     * @param spacing how the steps are spread over the schedule
     */
    public record Sampling(int steps, double eta, Spacing spacing) {
        /** Validates. */
        public Sampling {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
            if (!(eta >= 0 && eta <= 1)) {
                throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
            }
            Objects.requireNonNull(spacing, "spacing");
        }
    }

    /** The sampler names {@link DdpmModel} offers, in {@link SampleOptions#sampler()}. */
    public static final java.util.List<String> SAMPLERS = java.util.List.of("ddpm", "ddim", "euler", "heun", "dpmpp-2m");

    /**
     * The sampler must be one of {@link #SAMPLERS} (or null: DDIM with the spec's η); η may be set
     * only for DDIM; the step count must lie in [1, T] (in [2, T] below T with linspace or quadratic
     * spacing, whose grids need two points, and for the σ-space samplers euler, heun and dpmpp-2m,
     * which run on a linspace grid); a guidance scale needs a class-conditional U-Net; the label and
     * the classes must be below its number of classes.
     *
     * @param options the options to sample with
     */
    @Override
    public void checkSampleOptions(SampleOptions options) {
        String name = options.sampler();
        if (name != null && !SAMPLERS.contains(name)) {
            throw new IllegalArgumentException("sampler must be one of " + String.join(", ", SAMPLERS) + ", got '"
                    + name + "'");
        }
        boolean sigmaSpace = name != null && !name.equals("ddpm") && !name.equals("ddim");
        if (name != null && !name.equals("ddim") && !Double.isNaN(options.eta())) {
            throw new IllegalArgumentException("eta must be left unset with sampler " + name + " (η is DDIM's), got "
                    + options.eta());
        }
        int total = schedule.betas().length;
        int steps = options.stepsOr(sampling.steps());
        Spacing spacing = sigmaSpace ? Spacing.LINSPACE : sampling.spacing();
        int minimum = steps == total || (spacing != Spacing.LINSPACE && spacing != Spacing.QUADRATIC) ? 1 : 2;
        if (steps < minimum || steps > total) {
            throw new IllegalArgumentException("steps must be in [" + minimum + ", " + total + "] for this model (T = "
                    + total + ", " + spacing.name().toLowerCase(java.util.Locale.ROOT) + " spacing), got " + steps);
        }
        int classes = unet.numClasses();
        if (classes == 0 && !Double.isNaN(options.guidance())) {
            throw new IllegalArgumentException("guidance must be left unset for this unconditional model (its U-Net has "
                    + "no classes), got " + options.guidance());
        }
        if (classes > 0) {
            options.labels(1, classes);
        }
    }
}
