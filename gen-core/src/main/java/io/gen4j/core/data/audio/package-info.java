/**
 * Synthetic audio with known generators (sums of sines, linear chirps), seeded, for WaveNet-style
 * models before real recordings, and the μ-law companding that turns a waveform into 256 classes.
 */
package io.gen4j.core.data.audio;
