package io.gen4j.eval;

/** The two conventions in use for reporting a CLIP score; they are not interchangeable. */
public enum ClipScoreConvention {
    /**
     * Hessel et al. 2021 ("CLIPScore: a reference-free evaluation metric for image captioning"):
     * 2.5 · max(cos(image, text), 0) per sample, then the mean. Range [0, 2.5].
     */
    HESSEL,
    /**
     * The common implementation (torchmetrics and most text-to-image papers): the mean over samples of
     * 100 · cos(image, text), clamped at 0 after averaging. Range [0, 100].
     */
    SCALED_100
}
