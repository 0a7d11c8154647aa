package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** PCA and t-SNE on data with known structure. */
class ProjectionTest {

    @Test
    void pcaFindsTheDirectionsOfLargestVariance() {
        Random rng = new Random(1);
        double[][] data = new double[2000][3];
        double s = Math.sqrt(0.5);
        for (double[] row : data) {
            double a = 3 * rng.nextGaussian();
            double b = 1 * rng.nextGaussian();
            double c = 0.1 * rng.nextGaussian();
            // Axis 1 along (1, 1, 0)/√2, axis 2 along z, axis 3 along (1, −1, 0)/√2.
            row[0] = s * a + s * c + 5;
            row[1] = s * a - s * c - 2;
            row[2] = b;
        }
        Pca pca = Pca.fit(data, 2);
        double[][] comps = pca.components();
        assertArrayEquals(new double[] {s, s, 0}, comps[0], 0.02);
        assertEquals(1.0, Math.abs(comps[1][2]), 0.02);
        double[] var = pca.explainedVariance();
        assertEquals(9, var[0], 0.6);
        assertEquals(1, var[1], 0.1);
        double[] ratio = pca.explainedVarianceRatio();
        assertEquals(9 / 10.01, ratio[0], 0.02);
        double[][] y = pca.transform(data);
        double mean = 0;
        for (double[] r : y) {
            mean += r[0] / y.length;
        }
        assertEquals(0, mean, 1e-9);
    }

    @Test
    void tsneSeparatesClustersDeterministically() {
        Random rng = new Random(2);
        int perCluster = 40;
        double[][] data = new double[3 * perCluster][5];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < perCluster; i++) {
                for (int j = 0; j < 5; j++) {
                    data[c * perCluster + i][j] = (j == c ? 10 : 0) + rng.nextGaussian();
                }
            }
        }
        TsneConfig config = new TsneConfig(15, 400, 0, 12, 100, 9);
        Tsne tsne = new Tsne(config);
        double[][] y = tsne.embed(data);
        // Every point is closer to its own cluster's centroid than to any other centroid.
        double[][] centroid = new double[3][2];
        for (int i = 0; i < y.length; i++) {
            centroid[i / perCluster][0] += y[i][0] / perCluster;
            centroid[i / perCluster][1] += y[i][1] / perCluster;
        }
        for (int i = 0; i < y.length; i++) {
            int own = i / perCluster;
            double dOwn = Math.hypot(y[i][0] - centroid[own][0], y[i][1] - centroid[own][1]);
            for (int c = 0; c < 3; c++) {
                if (c != own) {
                    assertTrue(dOwn < Math.hypot(y[i][0] - centroid[c][0], y[i][1] - centroid[c][1]),
                            "point " + i + " sits nearer cluster " + c);
                }
            }
        }
        assertTrue(tsne.klDivergence() < 1.5, "KL " + tsne.klDivergence());
        double[][] again = new Tsne(config).embed(data);
        for (int i = 0; i < y.length; i++) {
            assertArrayEquals(y[i], again[i], 0.0);
        }
    }

    @Test
    void tsneAffinitiesHaveTheRequestedPerplexity() {
        Random rng = new Random(3);
        double[][] data = new double[60][4];
        for (double[] row : data) {
            for (int j = 0; j < 4; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[] p = Tsne.jointProbabilities(data, 10);
        double total = 0;
        for (double v : p) {
            total += v;
        }
        assertEquals(1.0, total, 1e-6);
        for (int i = 0; i < 60; i++) {
            assertEquals(p[i * 60 + 5 % 60], p[(5 % 60) * 60 + i], 1e-15, "P must be symmetric");
        }
    }
}
