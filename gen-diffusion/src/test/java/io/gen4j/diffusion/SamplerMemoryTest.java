package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import io.gen4j.core.runtime.StopRequestedException;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.diffusion.testing.SamplerChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sampler iterations must not accumulate managed arrays (the samplers through {@link SamplerChecks#assertSamplerHygiene}). */
class SamplerMemoryTest {

    @Test
    void samplersLeaveOnlyTheirResult() {
        NoiseSchedule s = NoiseSchedule.linear(300);
        DiffusionModel model = new DiffusionModel(new GaussianDataDenoiser(s, new double[] {0.1, 0},
                new double[] {0.5, 1}, Prediction.EPSILON), s, Prediction.EPSILON).withClipX0(1);
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xT = manager.randomNormal(0, 1, new Shape(32, 2), DataType.FLOAT32);
            for (Sampler sampler : List.of(DdpmSampler.defaults(), new DdimSampler(0.3))) {
                for (int steps : new int[] {10, 300}) {
                    TimeGrid grid = steps == 300 ? TimeGrid.full(300)
                            : TimeGrid.spaced(300, steps, Spacing.LINSPACE);
                    SamplerChecks.assertSamplerHygiene(sampler, model, xT, grid);
                }
            }
            int before = manager.getManagedArrays().size();
            SamplerResult inv = new DdimSampler(0).invert(model, xT, TimeGrid.full(300),
                    Condition.none(), false, 2);
            assertEquals(before + 1, manager.getManagedArrays().size());
            inv.samples().close();
            SamplerResult traced = DdpmSampler.defaults().sample(model, xT,
                    TimeGrid.spaced(300, 20, Spacing.QUADRATIC), Condition.none(), true);
            assertEquals(before + 1 + 21, manager.getManagedArrays().size());
            traced.trajectory().forEach(NDArray::close);
            traced.samples().close();
            assertEquals(before, manager.getManagedArrays().size());
        }
    }

    @Test
    void trainingLossInAStepScopeLeavesNothing() {
        NoiseSchedule s = NoiseSchedule.linear(100);
        Ddpm ddpm = new Ddpm(new DiffusionModel(new GaussianDataDenoiser(s, new double[] {0},
                new double[] {1}, Prediction.VELOCITY), s, Prediction.VELOCITY),
                LossWeighting.minSnr(5));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.randomNormal(0, 1, new Shape(16, 1), DataType.FLOAT32);
            int before = manager.getManagedArrays().size();
            for (int step = 0; step < 20; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    x0.tempAttach(scope);
                    ddpm.loss(x0, Condition.none()).getFloat();
                }
                assertEquals(before, manager.getManagedArrays().size(), "step " + step);
            }
        }
    }
    @Test
    void aStopLeavesOnlyWhatWasThere() {
        NoiseSchedule s = NoiseSchedule.linear(300);
        DiffusionModel model = new DiffusionModel(new GaussianDataDenoiser(s, new double[] {0.1, 0},
                new double[] {0.5, 1}, Prediction.EPSILON), s, Prediction.EPSILON);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xT = manager.randomNormal(0, 1, new Shape(32, 2), DataType.FLOAT32);
            int before = manager.getManagedArrays().size();
            List<Sampler> samplers = new java.util.ArrayList<>(List.of(DdpmSampler.defaults(), new DdimSampler(0.3)));
            io.gen4j.diffusion.sampling.SigmaSchedule full = io.gen4j.diffusion.sampling.SigmaSchedule.karras(7,
                    Double.POSITIVE_INFINITY, 0);
            samplers.addAll(List.of(new io.gen4j.diffusion.sampling.KarrasEulerSampler(full),
                    new io.gen4j.diffusion.sampling.KarrasHeunSampler(full),
                    new io.gen4j.diffusion.sampling.DpmSolverPlusPlusSampler(full)));
            StopSignal.request("test");
            try {
                for (Sampler sampler : samplers) {
                    assertThrows(StopRequestedException.class, () -> sampler.sample(model, xT,
                            TimeGrid.spaced(300, 10, Spacing.LINSPACE), Condition.none(), true), sampler.toString());
                    assertEquals(before, manager.getManagedArrays().size(), sampler.toString());
                }
                assertThrows(StopRequestedException.class, () -> new DdimSampler(0).invert(model, xT,
                        TimeGrid.full(300), Condition.none(), true, 2));
                assertEquals(before, manager.getManagedArrays().size(), "DDIM inversion");
            } finally {
                StopSignal.clear();
            }
        }
    }
}
