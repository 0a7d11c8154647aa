package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * The latent scaling factor of latent diffusion (Rombach et al. 2022, §4.3.2 and appendix D.1:
 * "we rescale the latents by a component-wise... factor s = 1/σ̂ estimated from the first batch";
 * Stable Diffusion's {@code scaling_factor = 0.18215}): the reciprocal of the standard deviation of
 * all latent elements over data,
 *
 * <pre>
 *   s = 1 / σ̂,   σ̂² = mean(z²) − mean(z)²   over every element of every encoded example
 * </pre>
 *
 * so that the scaled latents s·z have unit variance, like the N(0, I) end of the forward process.
 * Computed in float64 from running sums, over chunks, so any number of examples fits in memory.
 */
public final class LatentScale {

    private LatentScale() {}

    /**
     * @param latents any shape, at least two elements, not all equal
     * @return 1 / (population standard deviation of the elements)
     */
    public static double fromLatents(NDArray latents) {
        Moments m = new Moments();
        m.add(latents);
        return m.scale();
    }

    /**
     * Encodes images in chunks with the model's <em>unscaled</em> encoder and estimates s.
     *
     * @param model the autoencoder
     * @param images images (N, C, H, W) in the model's pixel range
     * @param chunk how many to encode at once, &gt;= 1
     * @return s
     */
    public static double estimate(KlAutoencoderModel model, NDArray images, int chunk) {
        return estimate(model::encodeRaw, images, chunk);
    }

    /**
     * Encodes images in chunks with the VQ codec's <em>unscaled</em> pre-quantisation encoder and
     * estimates s.
     *
     * @param codec the VQ codec
     * @param images images (N, C, H, W) in the model's pixel range
     * @param chunk how many to encode at once, &gt;= 1
     * @return s
     */
    public static double estimate(VqLatentCodec codec, NDArray images, int chunk) {
        return estimate(codec::encodeRaw, images, chunk);
    }

    private static double estimate(java.util.function.UnaryOperator<NDArray> encodeRaw, NDArray images, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        long n = images.getShape().get(0);
        Moments m = new Moments();
        for (long i = 0; i < n; i += chunk) {
            try (NDManager scope = images.getManager().newSubManager()) {
                NDArray part = images.get(new NDIndex(i + ":" + Math.min(n, i + chunk)));
                part.attach(scope);
                m.add(encodeRaw.apply(part));
            }
        }
        return m.scale();
    }

    /** Running float64 sums of z and z². */
    private static final class Moments {
        private double sum;
        private double sumSquares;
        private long count;

        void add(NDArray z) {
            double[] v = z.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
            for (double x : v) {
                sum += x;
                sumSquares += x * x;
            }
            count += v.length;
        }

        double scale() {
            if (count < 2) {
                throw new IllegalArgumentException("the latent scale needs at least 2 latent elements, got " + count);
            }
            double mean = sum / count;
            double variance = sumSquares / count - mean * mean;
            if (!(variance > 0)) {
                throw new IllegalArgumentException("the latents have zero variance: no scale makes them unit-variance");
            }
            return 1.0 / Math.sqrt(variance);
        }
    }
}
