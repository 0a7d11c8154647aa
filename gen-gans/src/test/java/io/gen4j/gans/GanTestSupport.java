package io.gen4j.gans;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.gen4j.core.data.BatchSource;
import java.util.Random;

/** Seekable sources and helpers for the GAN tests. */
final class GanTestSupport {

    private GanTestSupport() {}

    /** Images in [−1, 1] whose brightness depends on the label, with labels; batch p depends only on p. */
    static final class LabelledImages implements BatchSource {
        private final int batch;
        private final long[] shape;
        private final int classes;
        private long position;

        LabelledImages(int batch, long[] shape, int classes) {
            this.batch = batch;
            this.shape = shape.clone();
            this.classes = classes;
        }

        @Override
        public NDList next(NDManager manager) {
            Random random = new Random(91 + 7919L * position++);
            int size = (int) (shape[0] * shape[1] * shape[2]);
            float[] x = new float[batch * size];
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = random.nextInt(classes);
                for (int j = 0; j < size; j++) {
                    x[i * size + j] = (float) Math.tanh(y[i] - classes / 2.0 + 0.3 * random.nextGaussian());
                }
            }
            return new NDList(manager.create(x, new Shape(batch, shape[0], shape[1], shape[2])), manager.create(y));
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long p) {
            this.position = p;
        }
    }

    static void withOneThread(Runnable body) {
        Engine.getInstance();
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            body.run();
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }
}
