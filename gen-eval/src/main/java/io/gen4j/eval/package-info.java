/**
 * Evaluation of generative models: sample-quality metrics on feature vectors (FID, KID, Inception
 * Score, precision/recall, density/coverage, CLIP score), likelihood unit conversions, and the
 * feature extractors that turn images into those vectors.
 *
 * <p>Conventions shared by every metric here:
 * <ul>
 *   <li>Arithmetic on features is in {@code double}. The O(N²·d) and O(N·d²) products run as
 *       float64 matrix products on an {@link ai.djl.ndarray.NDManager} the caller supplies (any DJL
 *       engine); eigen-decompositions use EJML.</li>
 *   <li>Randomness (KID subsets, IS split shuffles, real-vs-real floors) comes from a seed carried
 *       by the metric's configuration record.</li>
 *   <li>A reported value is a {@link io.gen4j.eval.MetricResult}: the value together with N_real,
 *       N_gen, the feature extractor and its file hash, the preprocessing, the reference split, the
 *       seed and the real-vs-real floor at the same N.</li>
 * </ul>
 */
package io.gen4j.eval;
