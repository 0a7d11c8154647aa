package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;
import org.junit.jupiter.api.Test;

/** The shared constants of an update give the same bits as {@link Scalars}, one constant per value. */
class UpdateConstantsTest {

    @Test
    void sharedConstantsAreBitIdenticalToScalars() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray x = m.randomNormal(new Shape(5, 7));
            float[] cs = {0.9f, 1f - 0.999f, 0.1f / 0.7f, 1e-8f, 3.14159f};
            try (UpdateConstants k = new UpdateConstants(m)) {
                for (float c : cs) {
                    assertArrayEquals(Scalars.times(x, c).toFloatArray(), k.times(x, c).toFloatArray());
                    assertArrayEquals(Scalars.timesInPlace(x.duplicate(), c).toFloatArray(),
                            k.timesInPlace(x.duplicate(), c).toFloatArray());
                    assertArrayEquals(Scalars.dividedByInPlace(x.duplicate(), c).toFloatArray(),
                            k.dividedByInPlace(x.duplicate(), c).toFloatArray());
                    assertArrayEquals(x.duplicate().addi(c).toFloatArray(),
                            k.plusInPlace(x.duplicate(), c).toFloatArray());
                }
            }
        }
    }

    @Test
    void float64GoesThroughScalars() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {1.0 / 3, -2.5, 1e-300});
            try (UpdateConstants k = new UpdateConstants(m)) {
                assertArrayEquals(Scalars.times(x, 0.1f).toDoubleArray(), k.times(x, 0.1f).toDoubleArray());
                assertEquals(DataType.FLOAT64, k.times(x, 0.1f).getDataType());
            }
        }
    }

    /** The device-side sum of squares read once is the host loop of one read per parameter, bit for bit. */
    @Test
    void globalNormEqualsThePerParameterHostSum() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(33).build())
                    .add(Linear.builder().setUnits(17).build())
                    .add(Linear.builder().setUnits(3).build());
            net.initialize(m, DataType.FLOAT32, new Shape(8, 11));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(8, 11))), true)
                        .head();
                gc.backward(y.square().sum());
            }
            double sum = 0;
            for (var p : net.getParameters()) {
                sum += p.getValue().getArray().getGradient().square().sum().toType(DataType.FLOAT64, false).getDouble();
            }
            assertEquals(Math.sqrt(sum), Gradients.globalNorm(net));
            Block[] blocks = {net};
            double before = Gradients.clipGlobalNorm(Math.sqrt(sum) / 4, blocks);
            // the clipping computes the norm on the device in float32 (no host read): equal within rounding
            assertEquals(Math.sqrt(sum), before, 1e-6 * Math.sqrt(sum));
            assertEquals(Math.sqrt(sum) / 4, Gradients.globalNorm(net), 1e-6 * Math.sqrt(sum));
        }
    }
}
