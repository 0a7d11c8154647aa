package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** Small array helpers of the discrete package. */
final class Tokens {

    private Tokens() {}

    /** @return x as INT64 (x itself when it already is) */
    static NDArray ids(NDArray x) {
        return x.getDataType() == DataType.INT64 ? x : x.toType(DataType.INT64, false);
    }

    /** @return one-hot (…, depth) float32 of integer tokens, in x's manager */
    static NDArray oneHot(NDArray x, int depth) {
        return ids(x).oneHot(depth, DataType.FLOAT32);
    }

    /** @return a (n, 1) float32 column of per-example coefficients in the manager */
    static NDArray column(NDManager manager, double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return manager.create(f, new ai.djl.ndarray.types.Shape(values.length, 1));
    }

    /**
     * Draws one category per row from unnormalised, non-negative probabilities by the exponential
     * race (argmax p_k / E_k with E_k ~ Exp(1), equivalent to the Gumbel-max trick), with the engine's
     * generator.
     *
     * @param probabilities (…, K) non-negative, not all zero in a row
     * @return (…) INT64 indices, in the manager of the probabilities
     */
    static NDArray sampleCategorical(NDArray probabilities) {
        NDManager m = probabilities.getManager();
        NDArray u = m.randomUniform(1e-10f, 1f, probabilities.getShape(), DataType.FLOAT32);
        NDArray race = probabilities.div(u.log().neg());
        return race.argMax(-1).toType(DataType.INT64, false);
    }

    /** @return Σ_y a_y·b_y over the last axis */
    static NDArray dotLast(NDArray a, NDArray b) {
        return a.mul(b).sum(new int[] {-1});
    }
}
