package io.gen4j.score.ebm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.train.Stateful;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The replay buffer of Du &amp; Mordatch 2019: persistent short-run chains. Each draw takes most
 * starting points from past chain ends and re-initialises a fraction with uniform noise in a box; the
 * chain ends go back into the buffer (first in, first out). Its contents are {@link Stateful}, so a
 * checkpointed EBM run resumes bit-exactly; randomness comes from the engine's generator.
 */
public final class ReplayBuffer implements Stateful {

    private final int capacity;
    private final int dims;
    private final double low;
    private final double high;
    private final double reinit;
    private float[] data;
    private int size;
    private int next;

    /**
     * @param capacity how many points it keeps, ≥ 1
     * @param dims D
     * @param low the box's lower bound (every dimension)
     * @param high the box's upper bound
     * @param reinit the fraction of fresh noise per draw, in [0, 1] (0.05 in the paper)
     */
    public ReplayBuffer(int capacity, int dims, double low, double high, double reinit) {
        if (capacity < 1 || dims < 1 || !(high > low) || !(reinit >= 0 && reinit <= 1)) {
            throw new IllegalArgumentException("invalid replay buffer: capacity=" + capacity + ", dims=" + dims
                    + ", box=[" + low + ", " + high + "], reinit=" + reinit);
        }
        this.capacity = capacity;
        this.dims = dims;
        this.low = low;
        this.high = high;
        this.reinit = reinit;
        this.data = new float[capacity * dims];
    }

    /** @return how many points it holds */
    public int size() {
        return size;
    }

    /**
     * @param manager owner of the result
     * @param n how many
     * @return n starting points, shape (n, D), float32
     */
    public NDArray draw(NDManager manager, int n) {
        NDArray noise = manager.randomUniform((float) low, (float) high, new Shape(n, dims), DataType.FLOAT32);
        if (size == 0) {
            return noise;
        }
        NDArray index = manager.randomInteger(0, size, new Shape(n), DataType.INT64);
        NDArray fresh = manager.randomUniform(0f, 1f, new Shape(n, 1), DataType.FLOAT32).lt(reinit)
                .toType(DataType.FLOAT32, false);
        NDArray stored = manager.create(data, new Shape(capacity, dims)).get(index);
        return stored.mul(fresh.neg().add(1)).add(noise.mul(fresh));
    }

    /**
     * @param points chain ends, shape (n, D)
     */
    public void push(NDArray points) {
        float[] p = points.toType(DataType.FLOAT32, false).toFloatArray();
        int n = p.length / dims;
        for (int i = 0; i < n; i++) {
            System.arraycopy(p, i * dims, data, next * dims, dims);
            next = (next + 1) % capacity;
            size = Math.min(capacity, size + 1);
        }
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        out.writeInt(size);
        out.writeInt(next);
        for (float f : data) {
            out.writeFloat(f);
        }
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        size = in.readInt();
        next = in.readInt();
        for (int i = 0; i < data.length; i++) {
            data[i] = in.readFloat();
        }
    }
}
