package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import io.gen4j.core.runtime.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataParallelTest {

    @Test
    void parsesDeviceLists() {
        assertEquals(List.of(Device.gpu(0), Device.gpu(1)), DataParallel.parse("gpu:0,gpu:1"));
        assertEquals(List.of(Device.gpu(2)), DataParallel.parse(" cuda:2 "));
        assertEquals(List.of(Device.cpu()), DataParallel.parse("cpu"));
        // DJL has one CPU device: cpu:1 is cpu()
        assertEquals(List.of(Device.cpu(), Device.cpu()), DataParallel.parse("cpu:0,cpu:1"));
        assertThrows(IllegalArgumentException.class, () -> DataParallel.parse("tpu:0"));
        assertThrows(IllegalArgumentException.class, () -> DataParallel.parse("gpu:x"));
        assertThrows(IllegalArgumentException.class, () -> new DataParallel(DataParallel.parse("gpu:0,gpu:0")));
        assertEquals(2, new DataParallel(DataParallel.parse("cpu,cpu")).devices().size());
        assertThrows(IllegalArgumentException.class, () -> new DataParallel(List.of()));
        assertEquals("gpu:0,gpu:1", DataParallel.format(List.of(Device.gpu(0), Device.gpu(1))));
        assertEquals("cpu,cpu,gpu:3", DataParallel.format(DataParallel.parse("cpu:0, cpu:1, cuda:3")));
    }

    @Test
    void splitsABatchIntoNearlyEqualSlicesThatConcatenateToIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(30f).reshape(10, 3);
            NDArray y = m.arange(10f);
            DataParallel three = new DataParallel(DataParallel.parse("cpu:0,cpu:1,cpu:2"));
            List<NDList> slices = three.split(new NDList(x, y));
            assertEquals(List.of(4L, 4L, 2L), slices.stream().map(s -> s.head().getShape().get(0)).toList());
            List<NDArray> xs = new ArrayList<>();
            for (NDList s : slices) {
                assertEquals(2, s.size());
                assertEquals(s.get(0).getShape().get(0), s.get(1).getShape().get(0));
                xs.add(s.get(0).toDevice(Device.cpu(), false));
            }
            assertArrayEquals(x.toFloatArray(), NDArrays.concat(new NDList(xs)).toFloatArray());
            // two rows over three devices: two slices
            assertEquals(2, three.split(new NDList(m.ones(new Shape(2, 3)))).size());
        }
    }

    @Test
    void oneStepOverOneTwoOrThreeDevicesEqualsOneFullBatchStep() {
        float[][] expected = step(null);
        List<Device> one = List.of(Device.cpu());
        // Two and three CPU entries: the batch of 10 in slices of 5+5 and 4+4+2, weighted 1/2 and 4/10, 4/10, 2/10.
        List<Device> two = DataParallel.parse("cpu:0,cpu:1");
        List<Device> three = DataParallel.parse("cpu:0,cpu:1,cpu:2");
        for (List<Device> devices : List.of(one, two, three)) {
            float[][] got = step(devices);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], got[i], 1e-6f, devices + " parameter " + i);
            }
        }
    }

    @Test
    void aBuiltStepTakesItsDevicesLaterAndSharesItsOptimizer() {
        float[][] expected = step(null);
        float[][] got = step(DataParallel.parse("cpu:0,cpu:1"), true);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], got[i], 1e-6f, "parameter " + i);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = new SequentialBlock().add(Linear.builder().setUnits(2).build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            ObjectiveStep plain = ObjectiveStep.builder().setObjective(Objective.of(net, (ctx, b) -> LossTerms.of(
                    net.forward(ctx.parameters(), new NDList(b.head()), true).singletonOrThrow().square().mean())))
                    .setOptimizer(network -> new Sgd(network)).optEma(EmaConfig.defaults()).build();
            ObjectiveStep parallel = plain.withDevices(DataParallel.parse("cpu,cpu"));
            assertEquals(List.of(), plain.devices());
            assertEquals(List.of(Device.cpu(), Device.cpu()), parallel.devices());
            assertSame(plain.optimizer(), parallel.optimizer());
            assertSame(plain.ema(), parallel.ema());
            assertSame(plain.network(), parallel.network());
            assertThrows(IllegalArgumentException.class, () -> plain.withDevices(List.of()));
        }
    }

    @Test
    void parallelStepsLeaveNoArraysBehind() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(6);
            Block net = new SequentialBlock().add(Linear.builder().setUnits(4).build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            Objective mse = Objective.of(net, (ctx, b) -> LossTerms.of(
                    net.forward(ctx.parameters(), new NDList(b.head()), true).singletonOrThrow().square().mean()));
            ObjectiveStep step = ObjectiveStep.builder().setObjective(mse).setOptimizer(network -> new Sgd(network))
                    .optDevices(DataParallel.parse("cpu,cpu")).build();
            int after = 0;
            for (int s = 0; s < 12; s++) {
                try (NDManager scope = m.newSubManager()) {
                    step.step(new NDList(scope.ones(new Shape(6, 3))), s);
                }
                if (s == 1) {
                    after = m.getManagedArrays().size();
                }
            }
            assertEquals(after, m.getManagedArrays().size(), "arrays in the model's manager after 2 and 12 steps");
        }
    }

    /**
     * One plain SGD step (lr 1: the parameters move by minus the gradient) of an MLP on the mean
     * squared error of 10 fixed rows; returns the loss and the new parameters.
     */
    private static float[][] step(List<Device> devices) {
        return step(devices, false);
    }

    /** @param late whether the devices are given to the built step ({@code withDevices}) rather than its builder */
    private static float[][] step(List<Device> devices, boolean late) {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(5);
            Block net = new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Activation::tanh)
                    .add(Linear.builder().setUnits(1).build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            Objective mse = Objective.of(net, (ctx, b) -> {
                NDArray out = net.forward(ctx.parameters(), new NDList(b.get(0)), true).singletonOrThrow();
                return LossTerms.of(out.squeeze(1).sub(b.get(1)).square().mean());
            });
            ObjectiveStep.Builder builder = ObjectiveStep.builder().setObjective(mse)
                    .setOptimizer(network -> new Sgd(network));
            if (devices != null && !late) {
                builder.optDevices(devices);
            }
            ObjectiveStep step = devices != null && late ? builder.build().withDevices(devices) : builder.build();
            Map<String, Double> metrics;
            try (NDManager scope = m.newSubManager()) {
                NDArray x = scope.arange(30f).reshape(10, 3).div(30f);
                NDArray y = scope.arange(10f).div(10f).sin();
                metrics = step.step(new NDList(x, y), 0);
            }
            List<float[]> out = new ArrayList<>();
            out.add(new float[] {metrics.get("loss").floatValue()});
            for (Pair<String, Parameter> p : net.getParameters()) {
                out.add(p.getValue().getArray().toFloatArray());
            }
            return out.toArray(new float[0][]);
        }
    }

    /** Plain gradient descent with rate 1, no state. */
    private static final class Sgd extends ParameterOptimizer {
        Sgd(Block network) {
            super(t -> 1.0, 0, network);
        }

        @Override
        protected void apply(NDArray weight, NDArray grad, NDArray[] state, float lr, long t) {
            weight.subi(grad.mul(lr));
        }

        @Override
        protected String kind() {
            return "sgd";
        }
    }
}
