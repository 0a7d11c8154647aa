package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LatentPathsTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void linearPathHitsEndpointsAndMidpoint() {
        NDArray z0 = manager.create(new double[] {0, 0, 2, 2}).reshape(2, 2);
        NDArray z1 = manager.create(new double[] {4, 0, 2, 6}).reshape(2, 2);
        NDArray path = LatentPaths.interpolate(z0, z1, 3, LatentPaths.Interpolation.LINEAR);
        assertEquals(new Shape(6, 2), path.getShape());
        assertArrayEquals(new double[] {0, 0, 2, 0, 4, 0, 2, 2, 2, 4, 2, 6}, path.toDoubleArray(), 1e-12);
    }

    @Test
    void sphericalPathKeepsTheNormOfEqualNormEndpoints() {
        NDArray z0 = manager.create(new double[] {3, 0, 0}).reshape(1, 3);
        NDArray z1 = manager.create(new double[] {0, 0, 3}).reshape(1, 3);
        NDArray path = LatentPaths.interpolate(z0, z1, 5, LatentPaths.Interpolation.SPHERICAL);
        double[] norms = path.norm(new int[] {1}).toDoubleArray();
        for (double n : norms) {
            assertEquals(3.0, n, 1e-9);
        }
        assertArrayEquals(new double[] {3, 0, 0}, path.get("0").toDoubleArray(), 1e-9);
        assertArrayEquals(new double[] {0, 0, 3}, path.get("4").toDoubleArray(), 1e-9);
        double h = 3 / Math.sqrt(2);
        assertArrayEquals(new double[] {h, 0, h}, path.get("2").toDoubleArray(), 1e-9);
        // The linear midpoint is shorter: the point of slerp under a Gaussian prior.
        NDArray linear = LatentPaths.interpolate(z0, z1, 3, LatentPaths.Interpolation.LINEAR);
        assertEquals(h, linear.get("1").norm().getDouble(), 1e-9);
        // Parallel endpoints fall back to the linear path (no division by sin 0).
        NDArray same = LatentPaths.interpolate(z0, z0.mul(2), 3, LatentPaths.Interpolation.SPHERICAL);
        assertArrayEquals(new double[] {4.5, 0, 0}, same.get("1").toDoubleArray(), 1e-9);
    }

    @Test
    void traversalChangesOneDimensionPerRow() {
        NDArray base = manager.create(new float[] {1, 2, 3});
        NDArray grid = LatentPaths.traversal(base, new int[] {0, 2}, -1, 1, 3);
        assertEquals(new Shape(6, 3), grid.getShape());
        assertArrayEquals(new float[] {-1, 2, 3, 0, 2, 3, 1, 2, 3, 1, 2, -1, 1, 2, 0, 1, 2, 1}, grid.toFloatArray(), 1e-6f);
        assertEquals(DataType.FLOAT32, grid.getDataType());
        assertThrows(IllegalArgumentException.class, () -> LatentPaths.traversal(base, new int[] {3}, -1, 1, 3));
    }
}
