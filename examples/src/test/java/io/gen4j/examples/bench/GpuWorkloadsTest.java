package io.gen4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every bench family on gpu:0 against the CPU ({@link DeviceComparison}): the same parameters and inputs
 * give the same forward outputs and gradients of every trained block, the same training-step loss and
 * parameter change where the step draws no noise of its own, and a finite sampler output; and a speed
 * reading (ms per training step and per sampler unit on each device, at the reference batch) is printed,
 * not judged. Tagged {@code gpu}: excluded by default; run on a GPU machine with {@code
 * PYTORCH_FLAVOR=cu128 mvn -Pgpu -pl examples -am verify -Dgroups=gpu} (docs/performance.md#gpu).
 * Skipped, not failed, when the engine sees no GPU.
 */
@Tag("gpu")
class GpuWorkloadsTest {

    private static final int TIMED_STEPS = 5;

    @ParameterizedTest(name = "{0}")
    @FieldSource("io.gen4j.examples.bench.Workloads#FAMILIES")
    void agreesWithTheCpu(String family) {
        assumeTrue(Engine.getInstance().getGpuCount() > 0, "the engine sees no GPU");
        DeviceComparison.Report r = DeviceComparison.compare(family, 0, Device.cpu(), Device.gpu(0), 0, TIMED_STEPS);
        System.out.println(r.describe());
        assertTrue(r.mismatches().isEmpty(), r.describe());
        assertTrue(r.sampleFiniteA() && r.sampleFiniteB(), r.describe());
    }
}
