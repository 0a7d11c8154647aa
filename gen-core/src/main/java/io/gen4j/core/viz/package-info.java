/**
 * Headless output of samples and curves: image grids to PNG ({@link io.gen4j.core.viz.ImageGrid}),
 * line, scatter and density plots ({@link io.gen4j.core.viz.Plots}) and 16-bit WAV files ({@link
 * io.gen4j.core.viz.WavWriter}).
 */
package io.gen4j.core.viz;
