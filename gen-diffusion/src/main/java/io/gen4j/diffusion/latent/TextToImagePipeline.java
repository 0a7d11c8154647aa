package io.gen4j.diffusion.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.TimeGrid;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A mini Stable Diffusion: text → text encoder → latent U-Net with cross-attention → sampler →
 * codec decoder (diffusers' {@code StableDiffusionPipeline}, Rombach et al. 2022 fig. 3). Every part
 * is a field and can be replaced on its own: another text conditioner (a frozen pretrained
 * encoder), a guided denoiser inside the {@link DiffusionModel}, another {@link Sampler} or {@link
 * TimeGrid}, another {@link LatentCodec}. The pipeline never branches on what it was given.
 *
 * <pre>
 *   c   = text(prompts)                          Condition.embedding (N, L, D) + mask
 *   z_T ~ N(0, I)                                 (N, latentShape)
 *   z_0 = sampler(model, z_T, grid, c)            the same samplers as pixel space
 *   x   = clip(codec.decode(z_0), −bound, bound)  decoded images
 * </pre>
 *
 * @param text maps prompts to a condition
 * @param model the latent denoiser as a diffusion model (possibly guided)
 * @param sampler the sampler
 * @param grid the steps it visits
 * @param codec the decoder
 * @param latentShape the shape of one latent
 * @param bound the images are clipped to [−bound, bound] (1 for [−1, 1] data), or +∞ for none
 */
public record TextToImagePipeline(TextConditioner text, DiffusionModel model, Sampler sampler, TimeGrid grid,
        LatentCodec codec, Shape latentShape, double bound) {

    /** Validates. */
    public TextToImagePipeline {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(latentShape, "latentShape");
        if (!(bound > 0)) {
            throw new IllegalArgumentException("bound must be > 0 (or +Infinity), got " + bound);
        }
    }

    /** Turns prompts into what the denoiser is conditioned on. */
    @FunctionalInterface
    public interface TextConditioner {
        /**
         * @param prompts N prompts
         * @param manager the manager of the result
         * @return the condition of the N samples
         */
        Condition condition(List<String> prompts, NDManager manager);
    }

    /**
     * The outcome of {@link #generate}.
     *
     * @param images decoded images (N, C, H, W)
     * @param latents the sampled latents z_0
     * @param samplerTime wall time of the sampler (the U-Net evaluations)
     * @param decodeTime wall time of the decoder
     */
    public record Result(NDArray images, NDArray latents, Duration samplerTime, Duration decodeTime) {}

    /**
     * Generates one image per prompt, from z_T ~ N(0, I) drawn with the engine generator.
     *
     * @param prompts N prompts (empty strings for an unconditional model)
     * @param manager the manager of the result
     * @return images and latents in {@code manager}
     */
    public Result generate(List<String> prompts, NDManager manager) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("give at least one prompt");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray zT = scope.randomNormal(0f, 1f, new Shape(prompts.size()).addAll(latentShape), DataType.FLOAT32);
            return generate(prompts, zT, manager);
        }
    }

    /**
     * Generates from given start latents.
     *
     * @param prompts N prompts
     * @param zT start noise (N, latentShape)
     * @param manager the manager of the result
     * @return images and latents in {@code manager}
     */
    public Result generate(List<String> prompts, NDArray zT, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray start = zT.duplicate();
            start.attach(scope);
            Condition condition = text.condition(prompts, scope);
            SamplerResult r = sampler.sample(model, start, grid, condition, false);
            long t0 = System.nanoTime();
            NDArray images = codec.decode(r.samples());
            if (Double.isFinite(bound)) {
                images = Scalars.clip(images, -bound, bound);
            }
            Duration decode = Duration.ofNanos(System.nanoTime() - t0);
            NDArray latents = r.samples();
            images.attach(manager);
            latents.attach(manager);
            return new Result(images, latents, r.wallTime(), decode);
        }
    }
}
