/**
 * Evaluation of generative models: sample-quality metrics on feature vectors (FID, KID, Inception
 * Score, precision/recall, density/coverage, CLIP score) and the feature extractors that turn images
 * into those vectors (likelihood unit conversions are gen-core's {@code Likelihoods}).
 *
 * <p>A metric is an implementation of {@link io.gen4j.eval.Metric}; {@link io.gen4j.eval.Evaluation}
 * runs any list of them with their real-vs-real floors, and {@link io.gen4j.eval.MetricRegistry}
 * finds them by name (including {@link io.gen4j.eval.MetricProvider}s on the class path).
 *
 * <p>Conventions shared by every metric here:
 * <ul>
 *   <li>Arithmetic on features is in {@code double}. The O(N²·d) and O(N·d²) products run as
 *       float64 matrix products on an {@link ai.djl.ndarray.NDManager} the caller supplies (any DJL
 *       engine); eigen-decompositions use EJML.</li>
 *   <li>Randomness (KID subsets, IS split shuffles, real-vs-real floors) comes from a seed carried
 *       by the metric's configuration record and is drawn with gen-core's one seeded sampler,
 *       {@link io.gen4j.core.data.Permutations}.</li>
 *   <li>A reported value is a {@link io.gen4j.eval.MetricResult}: the value together with N_real,
 *       N_gen, the feature extractor and its file hash, the preprocessing, the reference split, the
 *       seed and the real-vs-real floor at the same N.</li>
 * </ul>
 */
package io.gen4j.eval;
