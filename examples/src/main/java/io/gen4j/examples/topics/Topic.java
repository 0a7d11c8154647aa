package io.gen4j.examples.topics;

/**
 * One topic of the generative-modelling course as a runnable example: trains what the topic is about,
 * writes figures and a report into a run directory, and returns the headline figures.
 *
 * <p>Topics are found with {@link java.util.ServiceLoader}: list the class in {@code
 * META-INF/services/io.gen4j.examples.topics.Topic}.
 */
public interface Topic {

    /** @return the course id, e.g. {@code 11-05} */
    String id();

    /** @return a short title, e.g. {@code DDPM from scratch} */
    String title();

    /**
     * Runs the topic.
     *
     * @param options profile, output folder, seed, data location
     * @return what was produced
     * @throws Exception when the run fails (data not found, I/O, ...)
     */
    TopicResult run(TopicOptions options) throws Exception;
}
