package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InceptionScoreTest {

    @Test
    void oneHotLogitsOverBalancedClasses() {
        int classes = 10;
        int perClass = 7;
        for (double strength : new double[] {0.0, 1.0, 4.0, 30.0}) {
            double[][] logits = new double[classes * perClass][classes];
            for (int i = 0; i < logits.length; i++) {
                logits[i][i % classes] = strength;
            }
            // entropy of softmax(L e_c)
            double z = Math.exp(strength) + classes - 1;
            double pTop = Math.exp(strength) / z;
            double pOther = 1 / z;
            double h = -pTop * Math.log(pTop) - (classes - 1) * pOther * Math.log(pOther);
            MeanStd is = InceptionScore.fromLogits(Features.of(logits), new InceptionScoreConfig(1, 0));
            assertEquals(classes * Math.exp(-h), is.mean(), 1e-10);
        }
    }

    @Test
    void identicalPredictionsGiveOne() {
        double[][] p = new double[50][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[] {0.2, 0.5, 0.3, 0.0};
        }
        MeanStd is = InceptionScore.fromProbabilities(Features.of(p), InceptionScoreConfig.defaults());
        assertEquals(1.0, is.mean(), 1e-12);
        assertEquals(0.0, is.std(), 1e-12);
        assertEquals(10, is.subsets());
    }

    @Test
    void logitsAndProbabilitiesAgreeAndShuffleIsSeeded() {
        Features logits = Managers.gaussian(103, 6, 4).scale(3);
        double[] p = new double[logits.data().length];
        for (int i = 0; i < logits.count(); i++) {
            double s = 0;
            for (int j = 0; j < 6; j++) {
                s += Math.exp(logits.get(i, j));
            }
            for (int j = 0; j < 6; j++) {
                p[i * 6 + j] = Math.exp(logits.get(i, j)) / s;
            }
        }
        InceptionScoreConfig config = new InceptionScoreConfig(5, 11);
        MeanStd a = InceptionScore.fromLogits(logits, config);
        MeanStd b = InceptionScore.fromProbabilities(new Features(103, 6, p), config);
        assertEquals(a.mean(), b.mean(), 1e-12);
        assertEquals(a.std(), b.std(), 1e-12);
        assertEquals(a, InceptionScore.fromLogits(logits, config));
    }

    @Test
    void rejectsFewerSamplesThanSplits() {
        assertThrows(IllegalArgumentException.class,
                () -> InceptionScore.fromProbabilities(Features.of(new double[][] {{1.0}}), InceptionScoreConfig.defaults()));
    }
}
