package io.gen4j.diffusion.latent;

import com.fasterxml.jackson.databind.JsonNode;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.text.TextEncoderConfig;
import io.gen4j.diffusion.text.WordTokenizer;
import java.util.List;
import java.util.Objects;

/**
 * Everything that rebuilds a {@link LatentDiffusionModel} (family {@code latent-diffusion}): the
 * latent U-Net, the noise schedule, the parameterisation, the default sampler, the codec (its
 * family name and spec, so that any registered {@link io.gen4j.core.model.LatentCodec} family can be
 * rebuilt without gen-diffusion depending on it), the optional text part, and the images.
 *
 * @param unet the latent U-Net: in/out channels = the codec's latent channels, contextDim = the text
 *     width (0 without text); built with {@link io.gen4j.core.nn.SpatialTransformer} blocks
 * @param schedule the noise schedule
 * @param prediction what the U-Net predicts
 * @param sampling the default sampler (DDIM steps, η, spacing)
 * @param codec the saved codec's family and spec
 * @param text the tokenizer, text encoder and default prompts, or {@code null} for an unconditional model
 * @param data the decoded images (C, H, W) and their pixel range
 */
public record LatentDiffusionSpec(UNetConfig unet, DdpmSpec.Schedule schedule, Prediction prediction,
        DdpmSpec.Sampling sampling, Codec codec, Text text, DataSpec data) implements ModelSpec {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The family name in model.json. */
    public static final String FAMILY = "latent-diffusion";

    /** Validates. */
    public LatentDiffusionSpec {
        Objects.requireNonNull(unet, "unet");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(codec, "codec");
        if (data == null || !data.isImage()) {
            throw new IllegalArgumentException("latent diffusion decodes images: data must be (C, H, W), got " + data);
        }
        if (unet.outChannels() != unet.inChannels()) {
            throw new IllegalArgumentException("the latent U-Net must output its input channels, got "
                    + unet.inChannels() + " in, " + unet.outChannels() + " out");
        }
        int width = text == null ? 0 : text.encoder().width();
        if (unet.contextDim() != width) {
            throw new IllegalArgumentException("the U-Net's contextDim must be the text width " + width + " ("
                    + (text == null ? "no text" : "text") + "), got " + unet.contextDim());
        }
        if (sampling.steps() > schedule.betas().length) {
            throw new IllegalArgumentException("sampling steps must be in [1, " + schedule.betas().length + "], got "
                    + sampling.steps());
        }
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /**
     * Checks sampling options before the model is built: a latent-diffusion model samples with DDIM
     * (its pipeline's scheduler), so another sampler name is refused rather than ignored; a guidance
     * scale needs text conditioning; steps must lie in [1, T] (0 keeps the spec's).
     *
     * @param options the options to sample with
     * @throws IllegalArgumentException starting with "sampler", "guidance" or "steps", naming the
     *     value and what is allowed
     */
    @Override
    public void checkSampleOptions(SampleOptions options) {
        if (options.sampler() != null && !options.sampler().equals("ddim")) {
            throw new IllegalArgumentException("sampler must be ddim for a latent-diffusion model (its pipeline "
                    + "samples with DDIM), got '" + options.sampler() + "'");
        }
        if (!Double.isNaN(options.guidance()) && text == null) {
            throw new IllegalArgumentException("guidance must be left unset: this latent-diffusion model has no text "
                    + "conditioning, got " + options.guidance());
        }
        int total = schedule.betas().length;
        int steps = options.stepsOr(sampling.steps());
        if (steps < 1 || steps > total) {
            throw new IllegalArgumentException("steps must be in [1, " + total + "], got " + steps);
        }
    }

    /**
     * Checks a prompt without building the model (so that a tool can refuse it before the engine
     * starts): the model must be text-conditioned, every word of the prompt must be in its
     * tokenizer's vocabulary (another word would become {@code <unk>}, which training never showed
     * the encoder), and the prompt must fit the tokenizer's length (longer ones would be cut).
     *
     * @param prompt the prompt ("" is the null caption)
     * @throws IllegalArgumentException starting with "prompt", naming the unknown words and the
     *     vocabulary, or the length and the limit, or saying the model has no text encoder
     */
    public void checkPrompt(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        if (text == null) {
            throw new IllegalArgumentException("prompt: this latent diffusion model is unconditional (it has no text "
                    + "encoder)");
        }
        List<String> words = io.gen4j.diffusion.text.WordTokenizer.words(prompt);
        java.util.Set<String> known = new java.util.HashSet<>(text.tokenizer().vocabulary());
        List<String> unknown = words.stream().filter(w -> !known.contains(w)).distinct().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("prompt has words this model's tokenizer does not know: "
                    + String.join(", ", unknown) + " (known: " + String.join(" ", text.tokenizer().vocabulary())
                    + "; e.g. \"" + text.prompts().get(0) + "\")");
        }
        int max = text.tokenizer().length() - 1;
        if (words.size() > max) {
            throw new IllegalArgumentException("prompt has " + words.size() + " words; this model's tokenizer holds at "
                    + "most " + max);
        }
    }

    /**
     * A saved codec: enough to rebuild it through its own {@link io.gen4j.core.model.ModelFamily}.
     *
     * @param family the codec's family name, e.g. {@code kl-autoencoder}
     * @param spec its spec as JSON
     */
    public record Codec(String family, JsonNode spec) {
        /** Validates. */
        public Codec {
            if (family == null || family.isBlank() || spec == null || !spec.isObject()) {
                throw new IllegalArgumentException("a codec needs a family name and a JSON object spec, got "
                        + family + ", " + spec);
            }
            spec = canonical(spec);
        }

        /** The node as parsed from its text, so that equal JSON gives equal nodes (int vs long, etc.). */
        private static JsonNode canonical(JsonNode node) {
            try {
                return JSON.readTree(JSON.writeValueAsString(node));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("the codec spec is not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
    }

    /**
     * The text part.
     *
     * @param tokenizer the tokenizer
     * @param encoder the text encoder's sizes (vocabulary and length those of the tokenizer)
     * @param prompts the prompts {@link LatentDiffusionModel#sample} cycles through (label i = prompt i)
     * @param guidanceScale w of classifier-free guidance when sampling (1 = plain conditional, 0 =
     *     the null caption's model; Stable Diffusion's default is 7.5), finite and &gt;= 0
     */
    public record Text(WordTokenizer tokenizer, TextEncoderConfig encoder, List<String> prompts,
            double guidanceScale) {
        /** Validates and copies. */
        public Text {
            Objects.requireNonNull(tokenizer, "tokenizer");
            Objects.requireNonNull(encoder, "encoder");
            if (encoder.vocabularySize() != tokenizer.size() || encoder.length() != tokenizer.length()) {
                throw new IllegalArgumentException("the text encoder must read the tokenizer's " + tokenizer.size()
                        + " ids and " + tokenizer.length() + " positions, got " + encoder.vocabularySize() + " and "
                        + encoder.length());
            }
            if (prompts == null || prompts.isEmpty()) {
                throw new IllegalArgumentException("give at least one default prompt");
            }
            prompts = List.copyOf(prompts);
            if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
                throw new IllegalArgumentException("guidanceScale must be finite and >= 0, got " + guidanceScale);
            }
        }
    }
}
