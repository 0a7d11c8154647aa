package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.math.Scalars;
import org.junit.jupiter.api.Test;

class MatmulCheckTest {

    @Test
    void theEngineProductPassesAndAWrongOneFails() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MatmulCheck.Report engine = MatmulCheck.run(manager, NDArray::matMul);
            assertTrue(engine.passed(), engine.summary());
            // a product off by 1e-4 relative, ten times the bound, is caught
            MatmulCheck.Report off = MatmulCheck.run(manager, (a, b) -> Scalars.times(a.matMul(b), 1.0001));
            assertFalse(off.passed(), off.summary());
            // float16 rounding of the inputs (about 3e-4) is caught too
            MatmulCheck.Report half = MatmulCheck.run(manager, (a, b) -> a.toType(DataType.FLOAT16, false)
                    .toType(DataType.FLOAT32, false).matMul(b));
            assertFalse(half.passed(), half.summary());
        }
    }

    @Test
    void theMklLineNamesThePath() {
        String line = MatmulCheck.mklPath();
        assertTrue(line.startsWith("Intel code paths") || line.startsWith("generic kernels")
                || line.startsWith("the CPU's own") || line.startsWith("unknown"), line);
    }
}
