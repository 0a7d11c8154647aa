/**
 * Text for text-to-image diffusion: a word-level {@link io.gen4j.diffusion.text.WordTokenizer} with
 * padding and a null caption, a small transformer {@link io.gen4j.diffusion.text.TextEncoder}
 * whose outputs are the cross-attention context of the latent U-Net, captions for FashionMNIST
 * built from labels with templates and synonyms ({@link io.gen4j.diffusion.text.FashionCaptions}),
 * and a batch source that captions labelled batches ({@link io.gen4j.diffusion.text.CaptionedBatches}).
 */
package io.gen4j.diffusion.text;
