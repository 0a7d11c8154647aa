package io.gen4j.autoencoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.gen4j.core.math.Scalars;

/**
 * Input corruption of a denoising autoencoder (Vincent et al. 2008): the encoder sees
 * {@code x̃ ~ C(x̃|x)} and the decoder must reconstruct the clean {@code x}.
 *
 * <p>Noise comes from the engine's generator, so it is repeatable after {@code
 * Engine.getInstance().setRandomSeed}. Results belong to the manager of {@code x}.
 *
 * <p>In a saved model's spec ({@link AutoencoderSpec}) a corruption is written with a {@code type}
 * field: {@code {"type": "gaussian", "sigma": 0.3}}, {@code {"type": "none"}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Corruption.None.class, name = "none"),
    @JsonSubTypes.Type(value = Corruption.Gaussian.class, name = "gaussian"),
    @JsonSubTypes.Type(value = Corruption.Masking.class, name = "masking"),
    @JsonSubTypes.Type(value = Corruption.SaltAndPepper.class, name = "salt-and-pepper")
})
public sealed interface Corruption
        permits Corruption.None, Corruption.Gaussian, Corruption.Masking, Corruption.SaltAndPepper {

    /**
     * @param x clean data
     * @return a corrupted copy
     */
    NDArray apply(NDArray x);

    /** @return the identity corruption (a plain autoencoder) */
    static Corruption none() {
        return new None();
    }

    /** No corruption (a record so that it is written like the others). */
    record None() implements Corruption {
        @Override
        public NDArray apply(NDArray x) {
            return x;
        }
    }

    /**
     * Additive isotropic Gaussian noise {@code x̃ = x + σ ε}, ε ~ N(0, I).
     *
     * @param sigma noise standard deviation, > 0
     */
    record Gaussian(double sigma) implements Corruption {
        /** Validates σ. */
        public Gaussian {
            if (!(sigma > 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
            }
        }

        @Override
        public NDArray apply(NDArray x) {
            NDManager m = x.getManager();
            return x.add(m.randomNormal(0, (float) sigma, x.getShape(), x.getDataType()));
        }
    }

    /**
     * Masking noise: each value is set to 0 with probability {@code p} (dropout of the input without
     * rescaling).
     *
     * @param p drop probability in [0, 1)
     */
    record Masking(double p) implements Corruption {
        /** Validates p. */
        public Masking {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("p must be in [0, 1), got " + p);
            }
        }

        @Override
        public NDArray apply(NDArray x) {
            NDArray keep = x.getManager().randomUniform(0, 1, x.getShape(), x.getDataType()).gte(p)
                    .toType(x.getDataType(), false);
            return x.mul(keep);
        }
    }

    /**
     * Salt-and-pepper noise: each value is replaced with probability {@code p}, by {@code low} or
     * {@code high} with equal chance.
     *
     * @param p replacement probability in [0, 1]
     * @param low the "pepper" value (0 for images in [0, 1])
     * @param high the "salt" value (1 for images in [0, 1]), greater than {@code low}
     */
    record SaltAndPepper(double p, double low, double high) implements Corruption {
        /** Validates the values. */
        public SaltAndPepper {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("p must be in [0, 1], got " + p);
            }
            if (!(high > low)) {
                throw new IllegalArgumentException("high must be > low, got low=" + low + " high=" + high);
            }
        }

        /**
         * @param p replacement probability
         * @return salt and pepper for data in [0, 1]
         */
        public static SaltAndPepper unit(double p) {
            return new SaltAndPepper(p, 0, 1);
        }

        @Override
        public NDArray apply(NDArray x) {
            NDManager m = x.getManager();
            NDArray u = m.randomUniform(0, 1, x.getShape(), x.getDataType());
            NDArray replace = u.lt(p).toType(x.getDataType(), false);
            // Within the replaced set, u/p is uniform on [0, 1): below 1/2 → low, else high.
            NDArray salt = u.lt(p / 2).toType(x.getDataType(), false);
            NDArray value = Scalars.times(salt, low - high).add(high);
            return x.mul(replace.neg().add(1)).add(value.mul(replace));
        }
    }
}
