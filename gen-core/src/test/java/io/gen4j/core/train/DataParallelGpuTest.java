package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check of data-parallel training on a GPU machine (docs/scaling.md): the same training on one GPU
 * and data-parallel on every GPU the engine sees (and on every GPU plus the CPU, which copies
 * parameters between distinct devices even on a machine with one GPU) must agree. Tagged {@code gpu}:
 * excluded by default, run with {@code PYTORCH_FLAVOR=cu128 mvn -Pgpu -pl gen-core -am verify
 * -Dgroups=gpu} (the profile takes the CPU natives off the test class path, so DJL loads the CUDA
 * build of PYTORCH_FLAVOR). Skipped, not failed, when the engine sees no GPU.
 *
 * <p>The objective is deterministic (an MLP's mean squared error on fixed batches), so the split
 * changes only the order of float additions: one plain-SGD step must give the one-device parameters
 * to float rounding (1e-5), and 300 Adam steps the same loss curve to 1e-3 relative.
 */
@Tag("gpu")
class DataParallelGpuTest {

    private static final Logger LOG = LoggerFactory.getLogger(DataParallelGpuTest.class);

    @Test
    void everyVisibleGpuTrainsLikeOneGpu() {
        int gpus = Engine.getInstance().getGpuCount();
        assumeTrue(gpus >= 1, "the engine sees no GPU");
        List<Device> all = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            all.add(Device.gpu(i));
        }
        List<Device> allAndCpu = new ArrayList<>(all);
        allAndCpu.add(Device.cpu());
        Run one = train(List.of(Device.gpu(0)), 1, true);
        for (List<Device> devices : List.of(all, allAndCpu)) {
            Run many = train(devices, 1, true);
            assertArrayEquals(one.parameters(), many.parameters(), 1e-5f, "one SGD step on " + devices);
        }
        Run curveOne = train(List.of(Device.gpu(0)), 300, false);
        for (List<Device> devices : List.of(all, allAndCpu)) {
            Run curve = train(devices, 300, false);
            LOG.info("300 Adam steps: loss {} on gpu:0, {} on {}", curveOne.losses().get(299), curve.losses().get(299),
                    DataParallel.format(devices));
            assertEquals(curveOne.losses().size(), curve.losses().size());
            for (int i = 0; i < curve.losses().size(); i++) {
                double expected = curveOne.losses().get(i);
                assertEquals(expected, curve.losses().get(i), 1e-3 * Math.max(1, Math.abs(expected)),
                        DataParallel.format(devices) + " step " + i);
            }
        }
    }

    private record Run(List<Double> losses, float[] parameters) {}

    /** An MLP on gpu:0 trained on fixed regression batches of 96 rows, split over {@code devices}. */
    private static Run train(List<Device> devices, int steps, boolean sgd) {
        try (NDManager m = NDManager.newBaseManager(Device.gpu(0))) {
            Seeds.seedEngine(5);
            Block net = new SequentialBlock().add(Linear.builder().setUnits(64).build()).add(Activation::tanh)
                    .add(Linear.builder().setUnits(1).build());
            net.initialize(m, DataType.FLOAT32, new Shape(1, 8));
            Objective mse = Objective.of(net, (ctx, b) -> {
                NDArray out = net.forward(ctx.parameters(), new NDList(b.get(0)), true).singletonOrThrow();
                return LossTerms.of(out.squeeze(1).sub(b.get(1)).square().mean());
            });
            OptimizerFactory optimizer = sgd ? network -> new ParameterOptimizer(t -> 0.1, 0, network) {
                @Override
                protected void apply(NDArray weight, NDArray grad, NDArray[] state, float lr, long t) {
                    weight.subi(io.gen4j.core.math.Scalars.times(grad, lr));
                }

                @Override
                protected String kind() {
                    return "sgd";
                }
            } : Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults());
            ObjectiveStep step = ObjectiveStep.builder().setObjective(mse).setOptimizer(optimizer)
                    .optDevices(devices).build();
            List<Double> losses = new ArrayList<>();
            for (int s = 0; s < steps; s++) {
                try (NDManager scope = m.newSubManager()) {
                    NDArray x = scope.arange(96f * 8).reshape(96, 8).add(s % 7).div(768f).sin();
                    NDArray y = x.sum(new int[] {1}).cos();
                    losses.add(step.step(new NDList(x, y), s).get("loss"));
                }
            }
            List<float[]> values = new ArrayList<>();
            int n = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                float[] v = p.getValue().getArray().toFloatArray();
                values.add(v);
                n += v.length;
            }
            float[] flat = new float[n];
            int at = 0;
            for (float[] v : values) {
                System.arraycopy(v, 0, flat, at, v.length);
                at += v.length;
            }
            return new Run(losses, flat);
        }
    }
}
