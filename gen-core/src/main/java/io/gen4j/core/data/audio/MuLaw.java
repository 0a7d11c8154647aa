package io.gen4j.core.data.audio;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.math.Scalars;
import java.util.function.UnaryOperator;

/**
 * μ-law companding and quantisation (ITU-T G.711; used by WaveNet, van den Oord et al. 2016, to turn
 * a waveform into a 256-way classification):
 *
 * <pre>
 *   compress:  y = sign(x) ln(1 + mu |x|) / ln(1 + mu),   x, y in [-1, 1]
 *   expand:    x = sign(y) ((1 + mu)^|y| - 1) / mu
 *   encode:    class = round((y + 1) / 2 * mu),            class in [0, mu]
 *   decode:    y = 2 class / mu - 1, then expand
 * </pre>
 *
 * With {@code mu = 255} there are 256 classes; half of them cover {@code |x| < 15/255}. The
 * round-trip error is at most half a class step {@code 1/mu} mapped back through {@code expand},
 * whose slope grows by at most {@code (1 + mu)^(1/mu)} over that step: {@code |x -
 * decode(encode(x))| <= ln(1 + mu) (1 + mu |x|) (1 + mu)^(1/mu) / mu^2} (about 0.0223 at |x| = 1 and
 * 8.7e-5 near 0). Inputs outside [-1, 1] are clamped.
 *
 * <p>{@link #encode(NDArray)} and {@link #decode(NDArray)} do the same on the array's device, in float64, with
 * nothing read back to the host (a training step that quantises its batch does not wait for the device). They
 * give the classes and samples of the scalar methods; they cannot throw on a NaN sample or an out-of-range
 * class without reading the data, so a NaN sample gets an unspecified class and a class outside {@code [0,
 * mu]} is clamped.
 */
public final class MuLaw {

    /** The standard μ of 8-bit telephony and WaveNet. */
    public static final int STANDARD_MU = 255;

    private final int mu;
    private final double logOnePlusMu;

    /**
     * Creates a codec.
     *
     * @param mu the compression parameter, in [1, 65535]; {@code mu + 1} classes
     */
    public MuLaw(int mu) {
        if (mu < 1 || mu > 65535) {
            throw new IllegalArgumentException("mu must be in [1, 65535], got " + mu);
        }
        this.mu = mu;
        this.logOnePlusMu = Math.log1p(mu);
    }

    /** @return the codec with {@code mu = 255} (256 classes) */
    public static MuLaw standard() {
        return new MuLaw(STANDARD_MU);
    }

    /** @return μ */
    public int mu() {
        return mu;
    }

    /** @return the number of classes, {@code mu + 1} */
    public int classes() {
        return mu + 1;
    }

    /**
     * @param x a sample, clamped to [-1, 1]
     * @return the companded value in [-1, 1]
     */
    public double compress(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("sample must not be NaN");
        }
        double c = Math.max(-1, Math.min(1, x));
        return Math.signum(c) * Math.log1p(mu * Math.abs(c)) / logOnePlusMu;
    }

    /**
     * @param y a companded value, clamped to [-1, 1]
     * @return the sample in [-1, 1]
     */
    public double expand(double y) {
        double c = Math.max(-1, Math.min(1, y));
        return Math.signum(c) * Math.expm1(Math.abs(c) * logOnePlusMu) / mu;
    }

    /**
     * @param x a sample, clamped to [-1, 1]
     * @return its class in {@code [0, mu]}
     */
    public int encode(double x) {
        return (int) Math.round((compress(x) + 1) / 2 * mu);
    }

    /**
     * @param c a class in {@code [0, mu]}
     * @return the sample it stands for
     */
    public double decode(int c) {
        if (c < 0 || c > mu) {
            throw new IllegalArgumentException("class must be in [0, " + mu + "], got " + c);
        }
        return expand(2.0 * c / mu - 1);
    }

    /**
     * Encodes a waveform.
     *
     * @param samples the samples
     * @return their classes
     */
    public int[] encode(float[] samples) {
        int[] out = new int[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = encode(samples[i]);
        }
        return out;
    }

    /**
     * Decodes classes into a waveform.
     *
     * @param classes classes in {@code [0, mu]}
     * @return the samples
     */
    public float[] decode(int[] classes) {
        float[] out = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            out[i] = (float) decode(classes[i]);
        }
        return out;
    }

    /**
     * Encodes a waveform on its device: {@code floor((compress(x) + 1) / 2 * mu + 1/2)} in float64, the
     * rounding of {@link Math#round(double)}.
     *
     * @param samples samples of any floating type and shape, clamped to [-1, 1]
     * @return their classes, int32 of the same shape, in the samples' manager
     */
    public NDArray encode(NDArray samples) {
        return inFloat64(samples, c -> {
            NDArray x = Scalars.clip(c, -1, 1);
            // sign(x) ln(1 + mu |x|) / ln(1 + mu), then (y + 1) / 2 * mu in the scalar method's order
            NDArray y = Scalars.dividedBy(x.sign().mul(Scalars.times(x.abs(), mu).add(1).log()), logOnePlusMu);
            return Scalars.times(Scalars.dividedBy(y.add(1), 2), mu).add(0.5).floor().toType(DataType.INT32, false);
        });
    }

    /**
     * Decodes classes on their device: {@code expand(2 c / mu - 1)} in float64.
     *
     * @param classes integer classes of any shape; values outside {@code [0, mu]} are clamped
     * @return float32 samples of the same shape, in the classes' manager
     */
    public NDArray decode(NDArray classes) {
        return inFloat64(classes, c -> {
            NDArray y = Scalars.dividedBy(Scalars.times(Scalars.clip(c, 0, mu), 2), mu).sub(1);
            // sign(y) (exp(|y| ln(1 + mu)) - 1) / mu
            return Scalars.dividedBy(y.sign().mul(Scalars.times(y.abs(), logOnePlusMu).exp().sub(1)), mu)
                    .toType(DataType.FLOAT32, false);
        });
    }

    /** f of a in float64, its intermediate arrays freed, the result in a's manager. */
    private static NDArray inFloat64(NDArray a, UnaryOperator<NDArray> f) {
        NDManager owner = a.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray c = a.toType(DataType.FLOAT64, true);
            c.attach(scope);
            NDArray result = f.apply(c);
            result.attach(owner);
            return result;
        }
    }

    /**
     * A bound on the round-trip error at {@code x}: half a class step through {@code expand}.
     *
     * @param x a sample in [-1, 1]
     * @return {@code ln(1 + mu) (1 + mu |x|) (1 + mu)^(1/mu) / mu^2}
     */
    public double errorBound(double x) {
        return logOnePlusMu
                * (1 + mu * Math.min(1, Math.abs(x)))
                * Math.exp(logOnePlusMu / mu)
                / ((double) mu * mu);
    }
}
