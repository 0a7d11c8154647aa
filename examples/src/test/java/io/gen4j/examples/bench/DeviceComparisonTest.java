package io.gen4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The logic of {@link GpuWorkloadsTest} where there is no GPU: {@link DeviceComparison#compare} with the
 * CPU on both sides agrees for five families at batch 4 (every check judged, the training step's too
 * even where it draws noise, since both sides use the same generator; the GAN's two players), and
 * reports a mismatch when the second side's parameters are a perturbed copy.
 */
class DeviceComparisonTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"realnvp", "vae", "dcgan", "flow-matching", "latent-diffusion"})
    void theCpuAgreesWithItself(String family) {
        DeviceComparison.Report r = DeviceComparison.compare(family, 4, Device.cpu(), Device.cpu(), 0, 1);
        System.out.println(r.describe());
        assertTrue(r.mismatches().isEmpty(), r.describe());
        assertTrue(r.checks().stream().allMatch(DeviceComparison.Check::judged), r.describe());
        List<String> names = r.checks().stream().map(DeviceComparison.Check::name).toList();
        assertTrue(names.contains("step-loss") && names.contains("step-update"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("forward/")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("gradient/")), names.toString());
        assertTrue(r.sampleFiniteA() && r.sampleFiniteB(), r.describe());
        assertTrue(r.timing().trainA() > 0 && r.timing().sampleB() > 0, r.describe());
    }

    @Test
    void aPerturbedParameterCopyIsAMismatch() {
        // 5e-3 added to every trainable parameter of the copy (measured: forward error about 5x its tolerance)
        DeviceComparison.Report r = DeviceComparison.compare("realnvp", 4, Device.cpu(), Device.cpu(), 5e-3, 1);
        System.out.println(r.describe());
        List<String> failed = r.mismatches().stream().map(DeviceComparison.Check::name).toList();
        assertTrue(failed.containsAll(List.of("forward/flow", "gradient/flow", "step-update")), r.describe());
    }

    @Test
    void relativeErrorIsTheRatioOfEuclideanNorms() {
        assertEquals(0, DeviceComparison.error(new float[] {3, 4}, new float[] {3, 4}));
        assertEquals(0.6, DeviceComparison.error(new float[] {3, 4}, new float[] {0, 4}), 1e-12); // 3 / 5
        assertEquals(1, DeviceComparison.error(new float[] {3, 4}, new float[] {0, 0}), 1e-12);
        assertEquals(0, DeviceComparison.error(new float[] {0, 0}, new float[] {0, 0}));
        assertEquals(Double.POSITIVE_INFINITY, DeviceComparison.error(new float[] {0, 0}, new float[] {1, 0}));
        assertTrue(Double.isNaN(DeviceComparison.error(new float[] {Float.NaN, 1}, new float[] {Float.NaN, 1})));
        assertTrue(new DeviceComparison.Check("x", Double.NaN, 1, true).mismatch());
        assertFalse(new DeviceComparison.Check("x", 2, 1, false).mismatch());
        assertTrue(new DeviceComparison.Check("x", 2, 1, true).mismatch());
    }
}
