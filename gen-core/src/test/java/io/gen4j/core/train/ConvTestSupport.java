package io.gen4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.runtime.ConvGuard;
import java.util.Map;
import java.util.Random;

/** A small convolutional denoiser, its step and source, for the leak test and the RSS benchmark. */
public final class ConvTestSupport {

    private ConvTestSupport() {}

    /** conv(channels) - relu - conv(channels) - relu - conv(1), 3x3, padding 1. */
    public static Block convNet(NDManager manager, int channels, int size, int seed) {
        // decide the guard mode now: its canary opens a GradientCollector and cannot run inside
        // the step's collector
        ConvGuard.status();
        Engine.getInstance().setRandomSeed(seed);
        SequentialBlock b = new SequentialBlock()
                .add(Conv2d.builder().setFilters(channels).setKernelSize(3).optPadding(1).build())
                .add(Activation::relu)
                .add(Conv2d.builder().setFilters(channels).setKernelSize(3).optPadding(1).build())
                .add(Activation::relu)
                .add(Conv2d.builder().setFilters(1).setKernelSize(3).optPadding(1).build());
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 1, size, size));
        return b;
    }

    /** Random smooth images (N, 1, size, size) from a seeded Java generator. */
    public static final class ImageSource implements BatchSource {
        private final long seed;
        private final int batch;
        private final int size;
        private long position;

        public ImageSource(long seed, int batch, int size) {
            this.seed = seed;
            this.batch = batch;
            this.size = size;
        }

        @Override
        public NDList next(NDManager manager) {
            Random r = new Random(seed * 7919 + position++);
            float[] x = new float[batch * size * size];
            for (int n = 0; n < batch; n++) {
                double fx = r.nextDouble() * 3;
                double fy = r.nextDouble() * 3;
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        x[(n * size + i) * size + j] =
                                (float) Math.sin(fx * i / size * Math.PI + fy * j / size);
                    }
                }
            }
            return new NDList(manager.create(x, new Shape(batch, 1, size, size)));
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

    /** Denoising step: predict the clean image from image + engine noise; Adam, clipping, EMA. */
    public static final class DenoiseStep implements TrainingStep {
        private final Block net;
        private final Adam adam;
        private final Ema ema;
        private final TrainingState state;

        public DenoiseStep(Block net) {
            this.net = net;
            this.adam = new Adam(LearningRateSchedule.linearWarmup(1e-3, 20),
                    AdamConfig.defaults(), net);
            this.ema = new Ema(net, EmaConfig.defaults());
            this.state = TrainingState.builder().block("net", net).stateful("adam", adam)
                    .stateful("ema", ema).build();
        }

        @Override
        public Map<String, Double> step(NDList batch, long step) {
            NDArray x = batch.head();
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray noisy = x.add(x.getManager().randomNormal(0f, 0.3f, x.getShape(),
                        DataType.FLOAT32));
                NDArray l = TrainTestSupport.forward(net, noisy).sub(x).square().mean();
                gc.backward(l);
                loss = l.getFloat();
            }
            double norm = Gradients.clipGlobalNorm(1.0, net);
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
