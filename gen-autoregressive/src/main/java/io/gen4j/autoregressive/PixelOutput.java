package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.math.Scalars;

/**
 * The distribution of one pixel given its past, p(x_i | x_&lt;i), for a {@link PixelCnn} with one
 * channel. Pixels are in [0, 1]: binary {0, 1} for {@link #BERNOULLI}, k/255 for the 8-bit outputs.
 * Every {@link #logProb} is the log-probability of the discrete value (nats), so summing it over
 * pixels gives the exact log-likelihood of the discrete image.
 */
public enum PixelOutput {
    /** One logit per pixel: binarised images. */
    BERNOULLI,
    /** 256 logits per pixel: 8-bit images, each level its own class (van den Oord et al. 2016). */
    SOFTMAX_256,
    /**
     * A mixture of K logistics discretised into 256 bins of [−1, 1], the edge bins extended to ±∞
     * (Salimans et al. 2017, PixelCNN++): 3K numbers per pixel (logits, means, log-scales).
     */
    LOGISTIC_MIXTURE;

    /**
     * @param mixtures K of the logistic mixture
     * @return the network's output channels per pixel
     */
    public int channels(int mixtures) {
        return switch (this) {
            case BERNOULLI -> 1;
            case SOFTMAX_256 -> 256;
            case LOGISTIC_MIXTURE -> 3 * mixtures;
        };
    }

    /**
     * @param params (N, P, ...) the network's outputs, P = {@link #channels}
     * @param x pixels (N, 1, ...) in [0, 1]
     * @return log p(x_i | x_&lt;i) per pixel, (N, ...) nats
     */
    public NDArray logProb(NDArray params, NDArray x) {
        NDArray v = x.squeeze(1);
        switch (this) {
            case BERNOULLI: {
                NDArray l = params.squeeze(1);
                return v.mul(l).sub(ArOps.softplus(l));
            }
            case SOFTMAX_256: {
                NDArray k = Scalars.times(v, 255).round().toType(DataType.INT64, false);
                NDArray oneHot = k.oneHot(256).toType(params.getDataType(), false);
                // (N, ..., 256) -> move the class axis to 1
                int last = oneHot.getShape().dimension() - 1;
                int[] axes = new int[last + 1];
                axes[0] = 0;
                axes[1] = last;
                for (int a = 2; a <= last; a++) {
                    axes[a] = a - 1;
                }
                return params.logSoftmax(1).mul(oneHot.transpose(axes)).sum(new int[] {1});
            }
            default:
                return logisticMixtureLogProb(params, v);
        }
    }

    private static NDArray logisticMixtureLogProb(NDArray params, NDArray v) {
        // one split, whose backward is one concatenation (three slices would each fill a zero array of the
        // parameters' size and copy into it)
        NDList parts = params.split(3, 1);
        NDArray logits = parts.get(0);
        NDArray mu = parts.get(1);
        NDArray logS = Scalars.max(parts.get(2), -7);
        NDArray y = Scalars.times(v, 2).sub(1).expandDims(1); // [−1, 1], bins of width 2/255
        NDArray centred = y.sub(mu);
        NDArray invS = logS.neg().exp();
        NDArray plusIn = centred.add(1.0 / 255).mul(invS);
        NDArray minIn = centred.sub(1.0 / 255).mul(invS);
        NDArray logCdfPlus = plusIn.sub(ArOps.softplus(plusIn)); // log σ(plus), for the bin at −1
        NDArray logOneMinusCdfMin = ArOps.softplus(minIn).neg(); // log(1 − σ(min)), for the bin at +1
        NDArray cdfDelta = plusIn.getNDArrayInternal().sigmoid().sub(minIn.getNDArrayInternal().sigmoid());
        NDArray midIn = centred.mul(invS);
        // log density at the bin centre times the bin width, where the CDF difference underflows
        NDArray logPdfMid = midIn.sub(logS).sub(Scalars.times(ArOps.softplus(midIn), 2)).add(Math.log(2.0 / 255));
        NDArray bigDelta = cdfDelta.gt(1e-5).toType(params.getDataType(), false);
        NDArray mid = Scalars.max(cdfDelta, 1e-12).log().mul(bigDelta).add(logPdfMid.mul(bigDelta.neg().add(1)));
        NDArray low = y.lt(-0.999).toType(params.getDataType(), false);
        NDArray high = y.gt(0.999).toType(params.getDataType(), false);
        NDArray inner = low.add(high).neg().add(1);
        NDArray logProbs = logCdfPlus.mul(low).add(logOneMinusCdfMin.mul(high)).add(mid.mul(inner));
        return ArOps.logSumExp(logProbs.add(logits.logSoftmax(1)), 1);
    }

    /**
     * Draws one value per row.
     *
     * @param params (N, P) the outputs of one pixel
     * @param temperature divides the logits (and scales the logistics)
     * @return (N) pixels in [0, 1]
     * @throws IllegalArgumentException when the temperature is not finite and positive
     */
    public NDArray sample(NDArray params, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        NDManager m = params.getManager();
        switch (this) {
            case BERNOULLI: {
                NDArray p = tempered(params.squeeze(1), temperature).getNDArrayInternal().sigmoid();
                return m.randomUniform(0f, 1f, p.getShape()).lt(p).toType(DataType.FLOAT32, false);
            }
            case SOFTMAX_256:
                return Scalars.dividedBy(ArOps.sampleCategorical(tempered(params, temperature), 1).toType(DataType.FLOAT32, false), 255);
            default: {
                int k = (int) params.getShape().get(1) / 3;
                NDArray pick = ArOps.sampleCategorical(tempered(params.get(new NDIndex(":, 0:{}", k)), temperature), 1)
                        .oneHot(k).toType(params.getDataType(), false);
                NDArray mu = params.get(new NDIndex(":, {}:{}", k, 2 * k)).mul(pick).sum(new int[] {1});
                NDArray s = Scalars.times(Scalars.max(params.get(new NDIndex(":, {}:{}", 2 * k, 3 * k)), -7).exp().mul(pick)
                        .sum(new int[] {1}), temperature);
                NDArray u = m.randomUniform(1e-5f, 1f - 1e-5f, mu.getShape()).toType(mu.getDataType(), false);
                NDArray y = Scalars.clip(mu.add(s.mul(u.log().sub(u.neg().add(1).log()))), -1, 1);
                return Scalars.dividedBy(Scalars.times(y.add(1), 127.5).round(), 255).toType(DataType.FLOAT32, false);
            }
        }
    }

    /** The logits divided by the temperature; at 1 the logits themselves (dividing by 1 is exact: the same draws). */
    private static NDArray tempered(NDArray logits, double temperature) {
        return temperature == 1.0 ? logits : Scalars.dividedBy(logits, temperature);
    }
}
