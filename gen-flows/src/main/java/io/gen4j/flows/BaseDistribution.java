package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The latent density p_Z of a normalizing flow: exact log-density and sampling, optionally at a
 * temperature T (samples drawn from the density raised to 1/T², i.e. standard deviations scaled by
 * T; Kingma &amp; Dhariwal 2018, §5).
 */
public interface BaseDistribution {

    /**
     * @param ps parameter store (for learned bases)
     * @param z latents (N, ...)
     * @param training whether the call is part of training
     * @return log p_Z(z) in nats, shape (N), in z's manager
     */
    NDArray logProb(ParameterStore ps, NDArray z, boolean training);

    /**
     * @param manager owner of the result
     * @param shape full shape (N, ...)
     * @param temperature T > 0; 1 samples the distribution itself
     * @param dataType dtype of the result
     * @return samples (N, ...)
     */
    NDArray sample(NDManager manager, Shape shape, double temperature, DataType dataType);

    /**
     * Validates a temperature.
     *
     * @param temperature the temperature
     * @throws IllegalArgumentException unless T is finite and &gt; 0
     */
    static void checkTemperature(double temperature) {
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
    }
}
