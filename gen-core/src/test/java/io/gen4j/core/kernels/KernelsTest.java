package io.gen4j.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.LearningRateSchedule;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;

/** gen-core alone (no engine module on the class path) composes everything. */
class KernelsTest {

    @Test
    void withoutAnEngineModuleTheComposedDefaultIsUsed() {
        try (NDManager m = NDManager.newBaseManager()) {
            Kernels k = Kernels.forArray(m.zeros(new Shape(2)));
            assertSame(Kernels.composed(), k);
            assertFalse(k.fusedAdam().isPresent());
            Linear lin = Linear.builder().setUnits(2).build();
            lin.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            try (Adam adam = new Adam(LearningRateSchedule.constant(0.1), AdamConfig.defaults(), lin)) {
                assertSame(Kernels.composed(), adam.kernels());
            }
        }
        assertSame(Kernels.composed(), Kernels.forEngine("PyTorch"));
    }

    @Test
    void propertyOtherThanAutoOrComposedIsRejected() {
        System.setProperty(Kernels.PROPERTY, "fast");
        try {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Kernels.forEngine("PyTorch"));
            assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
        } finally {
            System.clearProperty(Kernels.PROPERTY);
        }
    }

    @Test
    void adamUpdateBiasCorrectionsAreTheClosedForms() {
        AdamUpdate u = new AdamUpdate(0.1f, 3, 0.5, 0.75, 1e-8, 0, false);
        assertEquals(1 - 0.125, u.biasCorrection1(), 1e-15);
        assertEquals(Math.sqrt(1 - 0.421875), u.sqrtBiasCorrection2(), 1e-15);
    }

    @Test
    void adamUpdateRejectsValuesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new AdamUpdate(-1f, 1, 0.9, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new AdamUpdate(0.1f, 0, 0.9, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new AdamUpdate(0.1f, 1, 1.0, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new AdamUpdate(0.1f, 1, 0.9, -0.1, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new AdamUpdate(0.1f, 1, 0.9, 0.999, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new AdamUpdate(0.1f, 1, 0.9, 0.999, 1e-8, -1, true));
    }
}
