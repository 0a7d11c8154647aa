package io.gen4j.diffusion.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import org.junit.jupiter.api.Test;

/** Condition dropout: the drop rate, that kept rows are untouched, and embeddings padded and masked. */
class ConditionDropoutTest {

    @Test
    void labelsAreDroppedWithTheStatedProbability() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 20000;
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % 10;
            }
            Condition c = Condition.labels(m.create(y));
            ConditionDropout dropout = new ConditionDropout(0.2, NullCondition.label(10));
            int[] got = ((Condition.Labels) dropout.apply(c, m)).labels().toIntArray();
            int dropped = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(got[i] == y[i] || got[i] == 10, "label " + got[i] + " at " + i);
                dropped += got[i] == 10 ? 1 : 0;
            }
            // binomial(20000, 0.2): sd = sqrt(20000·0.2·0.8) ≈ 56.6; allow 4 sd
            assertEquals(4000, dropped, 4 * Math.sqrt(n * 0.2 * 0.8));
            assertSame(c, new ConditionDropout(0, NullCondition.label(10)).apply(c, m));
            int[] all = ((Condition.Labels) new ConditionDropout(1, NullCondition.label(10))
                    .apply(c, m)).labels().toIntArray();
            for (int v : all) {
                assertEquals(10, v);
            }
        }
    }

    @Test
    void embeddingsAreReplacedRowByRowAndPaddedWithAMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray context = m.arange(0f, 2 * 3 * 2).reshape(2, 3, 2);
            NDArray nullContext = m.create(new float[] {-1, -2}, new Shape(1, 1, 2));
            NDArray keep = m.create(new int[] {1, 0});
            Condition mixed = ConditionBatch.where(keep, Condition.embedding(context, null),
                    NullCondition.embedding(nullContext, null).nullOf(
                            Condition.embedding(context, null), m), m);
            Condition.Embedding e = (Condition.Embedding) mixed;
            assertEquals(new Shape(2, 3, 2), e.context().getShape());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, -1, -2, 0, 0, 0, 0},
                    e.context().toFloatArray(), 0f);
            assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0}, e.mask().toFloatArray(), 0f);

            Condition.Embedding stacked = (Condition.Embedding) ConditionBatch.concat(
                    Condition.embedding(context, null),
                    Condition.embedding(nullContext.repeat(0, 2), null), m);
            assertEquals(new Shape(4, 3, 2), stacked.context().getShape());
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0},
                    stacked.mask().toFloatArray(), 0f);
        }
    }

    @Test
    void resultsBelongToTheGivenManager() {
        try (NDManager caller = NDManager.newBaseManager();
                NDManager step = NDManager.newBaseManager()) {
            Condition c = Condition.labels(caller.create(new int[] {1, 2, 3}));
            int before = caller.getManagedArrays().size();
            Condition out = new ConditionDropout(0.5, NullCondition.label(9)).apply(c, step);
            assertSame(step, ((Condition.Labels) out).labels().getManager());
            assertEquals(before, caller.getManagedArrays().size());
            assertEquals(DataType.INT32, ((Condition.Labels) out).labels().getDataType());
        }
    }
}
