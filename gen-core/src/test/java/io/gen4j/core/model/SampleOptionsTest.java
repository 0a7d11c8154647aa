package io.gen4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The labels, guidance and sampler fields of {@link SampleOptions}. */
class SampleOptionsTest {

    @Test
    void labelsCycleThroughTheClassesTheLabelOrTheGivenList() {
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, SampleOptions.defaults().labels(5, 3));
        assertArrayEquals(new int[] {2, 2, 2}, SampleOptions.defaults().withLabel(2).labels(3, 3));
        assertArrayEquals(new int[] {4, 1, 4, 1, 4}, SampleOptions.defaults().withClasses(4, 1).labels(5, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleOptions.defaults().withClasses(1, 5).labels(2, 5));
        assertEquals("classes must be in [0, 4], got [1, 5]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SampleOptions.defaults().withClasses(-1));
    }

    @Test
    void guidanceAndSamplerDefaultToTheModelsAndSurviveTheWithers() {
        SampleOptions d = SampleOptions.defaults();
        assertTrue(Double.isNaN(d.guidance()));
        assertEquals(1.0, d.guidanceOr(1.0));
        assertEquals(null, d.sampler());
        SampleOptions o = d.withGuidance(2.5).withSampler("heun").withClasses(3).withSteps(7).withEta(0.5)
                .withTemperature(0.9).withLabel(1);
        assertEquals(2.5, o.guidanceOr(1.0));
        assertEquals("heun", o.sampler());
        assertArrayEquals(new int[] {3}, o.classes());
        assertEquals(new SampleOptions(7, 0.5, 0.9, 1, new int[] {3}, 2.5, "heun"), o);
        assertNotEquals(o, o.withClasses(4));
        assertEquals(d, new SampleOptions(0, Double.NaN, 1.0, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withGuidance(-0.5));
        assertTrue(e.getMessage().startsWith("guidance must be finite and >= 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withGuidance(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> d.withSampler(" "));
    }
}
