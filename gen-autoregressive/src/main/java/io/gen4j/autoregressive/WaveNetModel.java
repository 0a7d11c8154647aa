package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.audio.MuLaw;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import java.util.Map;
import java.util.Objects;

/**
 * A WaveNet as a gen-core model (family {@code wavenet}): its data are mono clips (N, 1, L) in
 * [−1, 1], quantised with the μ-law of gen-core's {@link MuLaw} (μ = classes − 1). {@link
 * #logLikelihood} is the exact log-probability of the quantised clip, Σ_t log p(c_t | c_&lt;t) in nats
 * (a probability of 256-level sequences, not a density of the waveform). Sampling uses the cached
 * generator and reads {@link SampleOptions#temperature()}.
 *
 * @param spec the description
 * @param waveNet the initialised network
 */
public record WaveNetModel(WaveNetSpec spec, WaveNet waveNet) implements GenerativeModel, LikelihoodModel {

    /** Validates. */
    public WaveNetModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(waveNet, "waveNet");
    }

    /**
     * @param spec the description
     * @param manager owns the parameters
     * @return a model with freshly initialised parameters
     */
    public static WaveNetModel create(WaveNetSpec spec, NDManager manager) {
        WaveNet net = new WaveNet(spec.config());
        net.initialize(manager, DataType.FLOAT32, new Shape(1, spec.config().classes(), 1));
        return new WaveNetModel(spec, net);
    }

    @Override
    public WaveNet network() {
        return waveNet;
    }

    /** @return the μ-law quantiser of this model */
    public MuLaw muLaw() {
        return new MuLaw(spec.config().classes() - 1);
    }

    /**
     * @param waveform (N, 1, L) or (N, L) samples in [−1, 1]
     * @return (N, L) int32 μ-law classes in the waveform's manager, computed on its device ({@link
     *     MuLaw#encode(NDArray)}: nothing is read back to the host)
     */
    public NDArray encode(NDArray waveform) {
        long n = waveform.getShape().get(0);
        NDArray classes = muLaw().encode(waveform);
        NDArray flat = classes.reshape(n, waveform.size() / n);
        if (flat != classes) {
            classes.close();
        }
        return flat;
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        NDArray classes = encode(x);
        return waveNet.logProbs(new ParameterStore(x.getManager(), false), classes, false).sum(new int[] {1});
    }

    /**
     * Maximum likelihood of the μ-law classes; the loss is in nats per sample (the NLL divided by L).
     *
     * @return the objective for {@code ObjectiveStep}
     */
    public Objective objective() {
        return Objective.of(waveNet, (context, batch) -> {
            NDArray classes = encode(batch.head());
            NDArray lp = waveNet.logProbs(context.parameters(), classes, context.training());
            NDArray loss = lp.mean().neg();
            return new LossTerms(loss, Map.of("bitsPerSample",
                    Likelihoods.bitsPerDim(loss.neg().reshape(1), 1, 1.0).reshape()));
        });
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        return sample(manager, n, spec.length(), options.temperature(), true);
    }

    /**
     * Generates clips.
     *
     * @param manager owns the result
     * @param n clips
     * @param length samples per clip
     * @param temperature divides the logits
     * @param cached the fast, queue-based generator (true) or the naive one
     * @return (n, 1, length) samples in [−1, 1]
     */
    public NDArray sample(NDManager manager, int n, int length, double temperature, boolean cached) {
        NDArray classes = waveNet.generate(new ParameterStore(manager, false), manager, n, length, temperature, cached,
                DataType.FLOAT32);
        NDArray wave = muLaw().decode(classes);
        classes.close();
        NDArray clips = wave.reshape(n, 1, length);
        if (clips != wave) {
            wave.close();
        }
        return clips;
    }
}
