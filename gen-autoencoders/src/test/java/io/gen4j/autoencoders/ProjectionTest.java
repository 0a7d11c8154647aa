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
    void tsneConditionalDistributionsHaveTheRequestedPerplexity() {
        // A tight cluster, a loose one and a few far points: bandwidths must differ by orders of
        // magnitude for every row to reach the same perplexity.
        Random rng = new Random(3);
        int n = 60;
        double[][] data = new double[n][4];
        for (int i = 0; i < n; i++) {
            double scale = i < 25 ? 0.01 : i < 55 ? 1 : 30;
            for (int j = 0; j < 4; j++) {
                data[i][j] = scale * rng.nextGaussian() + (i < 25 ? 5 : 0);
            }
        }
        for (double perplexity : new double[] {5, 12.5, 30}) {
            double[] cond = Tsne.conditionalProbabilities(data, perplexity);
            for (int i = 0; i < n; i++) {
                assertEquals(0.0, cond[i * n + i], "p_{i|i} must be 0");
                double total = 0;
                double entropyBits = 0;
                for (int j = 0; j < n; j++) {
                    double p = cond[i * n + j];
                    total += p;
                    if (p > 0) {
                        entropyBits -= p * Math.log(p) / Math.log(2);
                    }
                }
                assertEquals(1.0, total, 1e-12, "row " + i);
                assertEquals(perplexity, Math.pow(2, entropyBits), 1e-4 * perplexity,
                        "2^H(P_" + i + ") at target perplexity " + perplexity);
                // The row is a Gaussian kernel: log p_{j|i} = −β_i ‖x_i − x_j‖² + c_i with one β_i > 0.
                // β_i from the two most probable neighbours, then every other neighbour must agree.
                int a = -1;
                int b = -1;
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    if (a < 0 || cond[i * n + j] > cond[i * n + a]) {
                        b = a;
                        a = j;
                    } else if (b < 0 || cond[i * n + j] > cond[i * n + b]) {
                        b = j;
                    }
                }
                double beta = -(Math.log(cond[i * n + a]) - Math.log(cond[i * n + b]))
                        / (squared(data[i], data[a]) - squared(data[i], data[b]));
                assertTrue(beta > 0, "row " + i + ": beta " + beta);
                for (int j = 0; j < n; j++) {
                    if (j != i && cond[i * n + j] > 1e-200) {
                        double predicted = Math.log(cond[i * n + a]) - beta * (squared(data[i], data[j]) - squared(data[i], data[a]));
                        assertEquals(predicted, Math.log(cond[i * n + j]), 1e-6 * Math.max(1, Math.abs(predicted)),
                                "row " + i + " entry " + j);
                    }
                }
            }
            double[] joint = Tsne.jointProbabilities(data, perplexity);
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += joint[i * n + j];
                    if (i != j) {
                        assertEquals(Math.max((cond[i * n + j] + cond[j * n + i]) / (2.0 * n), 1e-12), joint[i * n + j], 1e-18);
                    }
                }
            }
            assertEquals(1.0, total, 1e-6);
        }
    }

    @Test
    void tsneAutomaticLearningRateIsScikitLearns() {
        // max(n / (4α), 50): scikit-learn's learning_rate='auto' for a gradient that keeps the factor 4.
        TsneConfig auto = TsneConfig.defaults(1);
        assertEquals(50, auto.effectiveLearningRate(120), 0);
        assertEquals(50, auto.effectiveLearningRate(2400), 0);
        assertEquals(125, auto.effectiveLearningRate(6000), 1e-12);
        assertEquals(10000 / 48.0, auto.effectiveLearningRate(10000), 1e-12);
        assertEquals(62.5, new TsneConfig(30, 10, 0, 4, 5, 1).effectiveLearningRate(1000), 1e-12);
        assertEquals(300, new TsneConfig(30, 10, 300, 12, 5, 1).effectiveLearningRate(10000), 0);
    }

    private static double squared(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return s;
    }
}
