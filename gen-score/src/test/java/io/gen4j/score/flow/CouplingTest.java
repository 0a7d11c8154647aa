package io.gen4j.score.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The minibatch OT coupling is the brute-force optimal permutation. */
class CouplingTest {

    private static double best;

    private static void permute(double[][] c, int[] p, int k) {
        if (k == p.length) {
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                sum += c[i][p[i]];
            }
            best = Math.min(best, sum);
            return;
        }
        for (int i = k; i < p.length; i++) {
            int tmp = p[k];
            p[k] = p[i];
            p[i] = tmp;
            permute(c, p, k + 1);
            p[i] = p[k];
            p[k] = tmp;
        }
    }

    @Test
    void hungarianFindsTheOptimalPermutation() {
        Random random = new Random(41);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + random.nextInt(6);
            double[][] c = new double[n][n];
            for (double[] row : c) {
                for (int j = 0; j < n; j++) {
                    row[j] = random.nextDouble() * 10;
                }
            }
            int[] a = MinibatchOtCoupling.hungarian(c);
            double cost = 0;
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                cost += c[i][a[i]];
                assertTrue(!seen[a[i]], "a permutation");
                seen[a[i]] = true;
            }
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            best = Double.POSITIVE_INFINITY;
            permute(c, p, 0);
            assertEquals(best, cost, 1e-9, "trial " + trial);
        }
    }

    @Test
    void otCouplingLowersTheTransportCost() {
        Engine.getInstance().setRandomSeed(42);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.randomNormal(0, 1, new Shape(128, 2), DataType.FLOAT32);
            NDArray x1 = manager.randomNormal(0, 1, new Shape(128, 2), DataType.FLOAT32).add(3);
            double independent = x1.sub(Coupling.INDEPENDENT.pair(x0, x1)).square().sum().getFloat();
            NDArray paired = new MinibatchOtCoupling().pair(x0, x1);
            double ot = x1.sub(paired).square().sum().getFloat();
            // W2^2 between N(0, I) and N((3, 3), I) is 18 per point; independent pairs cost 18 + 4 on average
            assertTrue(ot < independent && ot < 128 * (18 + 0.5), ot + " vs " + independent);
            // the same points, reordered
            assertEquals(x0.sum().getFloat(), paired.sum().getFloat(), 1e-3);
        }
    }
}
