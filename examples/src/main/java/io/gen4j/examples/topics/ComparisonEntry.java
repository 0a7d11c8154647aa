package io.gen4j.examples.topics;

import io.gen4j.core.model.GenerativeModel;
import java.io.IOException;

/**
 * One model family in the comparison of topic 11-10: how to build and train it, with its own budget,
 * on the shared data. Everything else (likelihood, FID, precision/recall, sampling time, parameters)
 * is measured by {@link Comparison} through gen-core's contracts, never through the family's class.
 *
 * <p>Entries are found with {@link java.util.ServiceLoader}: a family that lands later (a GAN, flow
 * matching) joins the table with a class implementing this and one line in {@code
 * META-INF/services/io.gen4j.examples.topics.ComparisonEntry}, without editing the comparison.
 */
public interface ComparisonEntry {

    /** @return the row's name and the training's checkpoint name, e.g. {@code made} */
    String name();

    /**
     * Trains the model (through {@link ComparisonContext#fit}, so runs resume) and returns it. A model
     * that implements {@link io.gen4j.core.model.LikelihoodModel} gets its NLL in the table (exact or
     * bound, as its {@code isExact()} says); one that does not gets none.
     *
     * @param context the data, profile, run and seed
     * @return the trained model, whose data spec is 1×H×W images in a pixel range
     * @throws IOException when the run's files cannot be written
     */
    GenerativeModel train(ComparisonContext context) throws IOException;

    /** @return where the row goes: lower first (the built-in entries use 10 … 50) */
    default int order() {
        return 100;
    }
}
