package io.gen4j.diffusion.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.model.SaveableModel;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.Sampler;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.diffusion.guidance.ClassifierFreeGuidance;
import io.gen4j.diffusion.guidance.NullCondition;
import io.gen4j.diffusion.text.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Latent diffusion (Rombach et al. 2022) as a gen-core model: a frozen {@link LatentCodec} (seen only
 * through gen-core's contract, so any saved codec family works: gen-autoencoders' KL autoencoder or
 * VQ-VAE), a latent U-Net with spatial transformers, and optionally a text encoder; saved and loaded
 * through {@code ModelStore} as one folder (family {@code latent-diffusion}, spec {@link
 * LatentDiffusionSpec}, whose {@code codec} field rebuilds the codec through its own family).
 *
 * <p><b>Sampling</b> ({@link #sample(NDManager, int, SampleOptions)}): z_T ~ N(0, I) in the codec's
 * latent shape, DDIM with the options' steps and η (or the spec's), then the codec's decoder,
 * clipped to [−1, 1]. A text model generates image i from prompt {@code labels(n)[i]} of the
 * spec's prompts (label −1 cycles through them); {@link #sample(NDManager, List, SampleOptions)}
 * takes any prompts, with classifier-free guidance at the spec's scale ({@link #guidedModel}). x̂_0 is not clipped in latent space (latents are unbounded). Everything runs
 * through {@link TextToImagePipeline}, the same DDPM/DDIM samplers as pixel space.
 */
public final class LatentDiffusionModel implements GenerativeModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LatentDiffusionSpec spec;
    private final LatentDiffusionNetwork diffusion;
    private final SaveableModel codecModel;
    private final LatentCodec codec;
    private final Block parts;

    /**
     * @param spec the description
     * @param diffusion the latent U-Net (and text encoder), initialised
     * @param codec the codec, a saveable model that is a {@link LatentCodec}
     */
    public LatentDiffusionModel(LatentDiffusionSpec spec, LatentDiffusionNetwork diffusion, SaveableModel codec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.diffusion = Objects.requireNonNull(diffusion, "diffusion");
        this.codecModel = Objects.requireNonNull(codec, "codec");
        if (!(codec instanceof LatentCodec c)) {
            throw new IllegalArgumentException("the codec must be a LatentCodec, got a " + codec.getClass().getName());
        }
        this.codec = c;
        Shape latent = c.latentShape();
        if (latent.dimension() != 3 || latent.get(0) != spec.unet().inChannels()) {
            throw new IllegalArgumentException("the codec's latents " + latent + " must be (" + spec.unet().inChannels()
                    + ", h, w) for this U-Net");
        }
        this.parts = new Parts(diffusion, codec.network());
    }

    /**
     * @param codec a saveable codec
     * @return its family and spec, for {@link LatentDiffusionSpec#codec()}
     */
    public static LatentDiffusionSpec.Codec codecOf(SaveableModel codec) {
        JsonNode node = JSON.valueToTree(codec.spec());
        return new LatentDiffusionSpec.Codec(codec.spec().family(), node);
    }

    @Override
    public LatentDiffusionSpec spec() {
        return spec;
    }

    /** @return the codec's and the diffusion network's parameters together (what is saved) */
    @Override
    public Block network() {
        return parts;
    }

    /** @return the trainable network: latent U-Net and text encoder */
    public LatentDiffusionNetwork diffusionNetwork() {
        return diffusion;
    }

    /** @return the frozen codec */
    public LatentCodec codec() {
        return codec;
    }

    /**
     * @param parameters the parameter store of the calls
     * @return the U-Net in inference mode as a diffusion model over latents (no clipping)
     */
    public DiffusionModel diffusionModel(ParameterStore parameters) {
        return new DiffusionModel(diffusion.denoiser(parameters, false), spec.schedule().toNoiseSchedule(),
                spec.prediction());
    }

    /**
     * The null form of this model's text conditions for classifier-free guidance: the encoded empty
     * caption ({@code <start>} only), repeated over the batch.
     *
     * @param manager the manager of the encoded null caption (keep it open while guiding)
     * @return the null condition
     * @throws IllegalStateException for an unconditional model
     */
    public NullCondition nullCondition(NDManager manager) {
        if (diffusion.text().isEmpty()) {
            throw new IllegalStateException("an unconditional model has no null caption");
        }
        Condition.Embedding empty = (Condition.Embedding) condition(List.of(""), manager);
        return NullCondition.embedding(empty.context(), empty.mask());
    }

    /**
     * The model guided with classifier-free guidance ({@link ClassifierFreeGuidance}, one batched
     * forward for the caption and the null caption).
     *
     * @param parameters the parameter store of the calls
     * @param scale w (1 = the conditional model)
     * @param manager the manager of the null caption's arrays
     * @return the guided diffusion model; the unguided one for an unconditional model
     */
    public DiffusionModel guidedModel(ParameterStore parameters, double scale, NDManager manager) {
        DiffusionModel plain = diffusionModel(parameters);
        if (diffusion.text().isEmpty()) {
            return plain;
        }
        return ClassifierFreeGuidance.guide(plain, scale, 0, nullCondition(manager));
    }

    /**
     * The text condition of prompts: the encoder's output and mask; {@link Condition#none()} for an
     * unconditional model.
     *
     * @param prompts N prompts ("" is the null caption)
     * @param manager the manager of the result
     * @return the condition
     */
    public Condition condition(List<String> prompts, NDManager manager) {
        if (diffusion.text().isEmpty()) {
            return Condition.none();
        }
        TextEncoder encoder = diffusion.text().get();
        NDList tokens = spec.text().tokenizer().encode(prompts, manager);
        return encoder.condition(new ParameterStore(manager, false), tokens.get(0), tokens.get(1), false);
    }

    /**
     * The pipeline of this model with a sampler and grid.
     *
     * @param model the (possibly guided) latent diffusion model, e.g. {@link #diffusionModel}
     * @param sampler the sampler
     * @param grid its steps
     * @return text → encoder → U-Net → sampler → decoder
     */
    public TextToImagePipeline pipeline(DiffusionModel model, Sampler sampler, TimeGrid grid) {
        return new TextToImagePipeline(this::condition, model, sampler, grid, codec, codec.latentShape(), 1.0);
    }

    /**
     * @param options steps (0: the spec's), η (NaN: the spec's)
     * @return the time grid
     */
    public TimeGrid grid(SampleOptions options) {
        int total = spec.schedule().betas().length;
        int steps = options.stepsOr(spec.sampling().steps());
        if (steps < 1 || steps > total) {
            throw new IllegalArgumentException("steps must be in [1, " + total + "], got " + steps);
        }
        return steps == total ? TimeGrid.full(total) : TimeGrid.spaced(total, steps, spec.sampling().spacing());
    }

    /**
     * Samples one image per prompt.
     *
     * @param manager the manager of the result
     * @param prompts the prompts
     * @param options steps, η and the guidance scale (NaN: the spec's); checked by
     *     {@link LatentDiffusionSpec#checkSampleOptions}
     * @return images (N, C, H, W) in [−1, 1]
     */
    public NDArray sample(NDManager manager, List<String> prompts, SampleOptions options) {
        try (NDManager scope = manager.newSubManager()) {
            spec.checkSampleOptions(options);
            ParameterStore ps = new ParameterStore(scope, false);
            double w = spec.text() == null ? 1
                    : Double.isNaN(options.guidance()) ? spec.text().guidanceScale() : options.guidance();
            DiffusionModel model = w == 1 ? diffusionModel(ps) : guidedModel(ps, w, scope);
            TextToImagePipeline p = pipeline(model,
                    new DdimSampler(options.etaOr(spec.sampling().eta())), grid(options));
            return p.generate(prompts, manager).images();
        }
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        List<String> prompts = new ArrayList<>();
        if (spec.text() == null) {
            for (int i = 0; i < n; i++) {
                prompts.add("");
            }
        } else {
            List<String> all = spec.text().prompts();
            for (int label : options.labels(n, all.size())) {
                prompts.add(all.get(label));
            }
        }
        return sample(manager, prompts, options);
    }

    /** The saved parameter set: the diffusion network, then the codec's network. Not a layer. */
    static final class Parts extends AbstractBlock {
        Parts(Block diffusion, Block codec) {
            super((byte) 1);
            addChildBlock("diffusion", diffusion);
            addChildBlock("codec", codec);
            inputShapes = new Shape[0]; // no input of its own: saved as an empty shape list
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            throw new UnsupportedOperationException("the parts of a latent diffusion model are called one by one: "
                    + "use diffusionNetwork() and codec()");
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            throw new UnsupportedOperationException("the parts of a latent diffusion model have no single output");
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            throw new UnsupportedOperationException("initialise the parts before grouping them");
        }
    }
}
