/**
 * Score matching: denoising score matching at one and many noise levels (NCSN), sliced score matching,
 * and the noise-conditional score model family.
 */
package io.gen4j.score.matching;
