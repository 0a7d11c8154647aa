package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@code topic --resume} finds the topic of a run from the name its config.json carries: the SEDD
 * topic's runs ({@code 11-05-sedd}) resume 11-05-sedd, not the DDPM topic 11-05 that the first five
 * characters name.
 */
class TopicResumeIdTest {

    @Test
    void aRunNamedAfterATopicIdResumesThatTopic() {
        assertEquals("11-05-sedd", TopicCommand.topicIdOfRun("11-05-sedd"));
        assertEquals("compare", TopicCommand.topicIdOfRun("compare"));
    }

    @Test
    void aTopicsLongerRunNameResumesItsCourseNumber() {
        assertEquals("11-05", TopicCommand.topicIdOfRun("11-05-ddpm"));
        assertEquals("11-06", TopicCommand.topicIdOfRun("11-06-latent"));
        assertEquals("11-10", TopicCommand.topicIdOfRun("11-10-autoregressive"));
        assertEquals("quickstart-ddpm", TopicCommand.topicIdOfRun("quickstart-ddpm"));
    }
}
