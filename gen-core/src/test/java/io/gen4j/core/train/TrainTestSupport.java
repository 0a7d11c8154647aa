package io.gen4j.core.train;

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
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.gen4j.core.data.BatchSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small networks, a seekable batch source and a regression step shared by the train tests. */
public final class TrainTestSupport {

    private TrainTestSupport() {}

    /** A seeded MLP in -> hidden -> out with ReLU, initialized in {@code manager}. */
    public static Block mlp(NDManager manager, int in, int hidden, int out, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        SequentialBlock b = new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(out).build());
        b.initialize(manager, DataType.FLOAT32, new Shape(1, in));
        return b;
    }

    /** Copies parameters bit-exactly through saveParameters/loadParameters. */
    public static void copyParameters(Block from, Block to, NDManager manager) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            from.saveParameters(new DataOutputStream(bytes));
            to.loadParameters(manager,
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            for (Pair<String, Parameter> p : to.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** All parameter values of a block, concatenated. */
    public static float[] values(Block block) {
        List<Float> all = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            for (float f : p.getValue().getArray().toFloatArray()) {
                all.add(f);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    /**
     * Runs a body with one intra-op engine thread, then restores the thread count. On a loaded
     * 2-core machine the OpenMP threads of libtorch spin-wait for each other: small ops run 10 to
     * 20 times slower with 2 threads than with 1 (measured: toy GAN 24 s vs 2.4 s; setting
     * OMP_WAIT_POLICY=PASSIVE has the same effect).
     */
    public static void withOneThread(Runnable body) {
        Engine.getInstance(); // loads the native library
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            body.run();
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    /** Forward pass in training mode. */
    public static NDArray forward(Block block, NDArray x) {
        return block.forward(new ParameterStore(x.getManager(), false), new NDList(x), true)
                .singletonOrThrow();
    }

    /**
     * A seekable source of regression batches (x, y) with y = sin(x W): the batch at position p is
     * a function of (seed, p) only.
     */
    public static final class RegressionSource implements BatchSource {
        private final long seed;
        private final int batch;
        private final int in;
        private final int out;
        private long position;

        public RegressionSource(long seed, int batch, int in, int out) {
            this.seed = seed;
            this.batch = batch;
            this.in = in;
            this.out = out;
        }

        @Override
        public NDList next(NDManager manager) {
            Random r = new Random(seed * 1_000_003L + position);
            position++;
            float[] x = new float[batch * in];
            float[] y = new float[batch * out];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            for (int b = 0; b < batch; b++) {
                for (int o = 0; o < out; o++) {
                    double s = 0;
                    for (int i = 0; i < in; i++) {
                        s += x[b * in + i] * ((i + o) % 3 - 1) * 0.7;
                    }
                    y[b * out + o] = (float) Math.sin(s);
                }
            }
            return new NDList(manager.create(x, new Shape(batch, in)),
                    manager.create(y, new Shape(batch, out)));
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long position) {
            this.position = position;
        }
    }

    /**
     * Mean-squared-error regression with Adam and an EMA; the input is jittered with engine noise
     * so that the engine RNG matters for exact resume.
     */
    public static final class RegressionStep implements TrainingStep {
        final Block net;
        final Adam adam;
        final Ema ema;
        private final TrainingState state;

        public RegressionStep(Block net, double lr) {
            this.net = net;
            this.adam = new Adam(LearningRateSchedule.cosine(lr, lr / 10, 5, 200),
                    AdamConfig.defaults(), net);
            this.ema = new Ema(net, new EmaConfig(0.99, true));
            this.state = TrainingState.builder().block("net", net).stateful("adam", adam)
                    .stateful("ema", ema).build();
        }

        @Override
        public Map<String, Double> step(NDList batch, long step) {
            NDArray x = batch.get(0);
            NDArray y = batch.get(1);
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray noisy = x.add(x.getManager().randomNormal(0f, 0.05f, x.getShape(),
                        DataType.FLOAT32));
                NDArray l = forward(net, noisy).sub(y).square().mean();
                gc.backward(l);
                loss = l.getFloat();
            }
            double norm = Gradients.clipGlobalNorm(5.0, net);
            adam.update();
            ema.update();
            return Map.of("loss", loss, "gradNorm", norm);
        }

        @Override
        public TrainingState state() {
            return state;
        }
    }
}
