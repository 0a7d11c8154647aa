package io.gen4j.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.math.Scalars;
import io.gen4j.eval.FeatureExtractor;
import java.io.IOException;
import java.io.Serializable;

/**
 * How an executor turns the samples of a shard file into feature rows: shipped to the executors,
 * opened once per task, closed at its end.
 */
@FunctionalInterface
public interface ShardFeatures extends Serializable {

    /** An opened feature map, used by one task. */
    interface Featurizer extends AutoCloseable {

        /**
         * @param samples a batch as read from a shard file: uint8 images (n, C, H, W) or float vectors
         *     (n, d)
         * @return (n, featureDim) features, in the samples' manager
         */
        NDArray features(NDArray samples);

        /** Releases what {@link #open} loaded; the default does nothing. */
        @Override
        default void close() {}
    }

    /**
     * Opens the map in a task.
     *
     * @param manager the task's manager (owns what the map loads)
     * @return the map
     * @throws IOException when its weights cannot be read
     */
    Featurizer open(NDManager manager) throws IOException;

    /** Makes a gen-eval {@link FeatureExtractor} on an executor. */
    @FunctionalInterface
    interface ExtractorFactory extends Serializable {

        /**
         * @param manager the task's manager
         * @return the extractor
         * @throws IOException when its weights cannot be read
         */
        FeatureExtractor open(NDManager manager) throws IOException;
    }

    /** @return the samples themselves (vector data, float64) as features */
    static ShardFeatures identity() {
        return manager -> samples -> samples.toType(DataType.FLOAT64, false);
    }

    /**
     * Images through a gen-eval extractor (e.g. {@code CnnFeatureExtractor.load(file, m)} or {@code
     * TorchScriptInception}): uint8 pixels become x/255 in [0, 1], the extractor's input convention,
     * which gives back the same 8-bit values it quantises to.
     *
     * @param factory makes the extractor, once per task
     * @return the map
     */
    static ShardFeatures images(ExtractorFactory factory) {
        return manager -> {
            FeatureExtractor extractor = factory.open(manager);
            return new Featurizer() {
                @Override
                public NDArray features(NDArray samples) {
                    return extractor.features(Scalars.dividedBy(samples.toType(DataType.FLOAT32, false), 255f));
                }

                @Override
                public void close() {
                    extractor.close();
                }
            };
        };
    }
}
