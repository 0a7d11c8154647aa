package io.gen4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.kernels.MultiTensorOps;
import io.gen4j.core.math.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Exponential moving average of a block's parameters (Polyak averaging), the weights diffusion
 * models and GANs sample with.
 *
 * <p>After each optimizer update, {@link #update()} computes for every parameter {@code w}
 *
 * <pre>
 * beta_n = warmup ? min(decay, (1 + n) / (10 + n)) : decay      (n = updates so far)
 * shadow = beta_n * shadow + (1 - beta_n) * w
 * </pre>
 * (as {@code shadow + (1 - beta_n) * (w - shadow)}, one {@code _foreach_lerp_} call for every parameter, where
 * the engine has it: {@link Kernels#multiTensor()}).
 *
 * To sample with the average, either {@link #copyTo} a second block of the same architecture, or
 * swap the shadow into the trained block for a while: {@code try (Ema.Swap s = ema.swapIn()) {
 * sample(); }} restores the trained weights on close.
 */
public final class Ema implements Stateful, AutoCloseable {

    private final Block block;
    private final EmaConfig config;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> shadows = new ArrayList<>();
    private final NDManager manager;
    private long updates;
    private boolean swapped;

    /**
     * Starts the average at the block's current weights.
     *
     * @param block an initialized block
     * @param config decay and warm-up
     */
    public Ema(Block block, EmaConfig config) {
        this.block = Objects.requireNonNull(block, "block");
        this.config = Objects.requireNonNull(config, "config");
        if (!block.isInitialized()) {
            throw new IllegalArgumentException("the block is not initialized");
        }
        NDManager m = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            if (m == null) {
                m = w.getManager().newSubManager();
            }
            parameters.add(p.getValue());
            names.add(p.getKey());
            shadows.add(copyOf(w, m));
        }
        if (m == null) {
            throw new IllegalArgumentException("the block has no parameter");
        }
        this.manager = m;
    }

    private static NDArray copyOf(NDArray w, NDManager target) {
        try (NDManager scope = w.getManager().newSubManager()) {
            scope.tempAttachAll(w);
            NDArray copy = w.stopGradient().duplicate();
            copy.attach(target);
            return copy;
        }
    }

    /** @return the hyperparameters */
    public EmaConfig config() {
        return config;
    }

    /** @return the number of updates so far */
    public long updates() {
        return updates;
    }

    /** @return the decay the next {@link #update()} will use */
    public double nextDecay() {
        return config.warmup()
                ? Math.min(config.decay(), (1.0 + updates) / (10.0 + updates))
                : config.decay();
    }

    /** Moves the shadow towards the block's current weights. */
    public void update() {
        if (swapped) {
            throw new IllegalStateException("update() while the shadow is swapped in");
        }
        float beta = (float) nextDecay();
        Optional<MultiTensorOps> multi =
                shadows.isEmpty() ? Optional.empty() : Kernels.forArray(shadows.get(0)).multiTensor();
        if (multi.isPresent()) {
            List<NDArray> weights = new ArrayList<>(parameters.size());
            for (Parameter p : parameters) {
                weights.add(p.getArray());
            }
            // s + (1 − β)(w − s), one call for every parameter
            if (multi.get().lerp(shadows, weights, 1.0 - beta)) {
                updates++;
                return;
            }
        }
        for (int i = 0; i < shadows.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            NDArray s = shadows.get(i);
            try (NDManager scope = w.getManager().newSubManager()) {
                scope.tempAttachAll(w, s);
                Scalars.timesInPlace(s, beta).addi(Scalars.times(w.stopGradient(), 1f - beta));
            }
        }
        updates++;
    }

    /**
     * Copies the averaged weights into another block of the same architecture (a sampling copy).
     *
     * @param target an initialized block with the same parameter names and shapes
     */
    public void copyTo(Block target) {
        List<Pair<String, Parameter>> other = new ArrayList<>();
        target.getParameters().forEach(other::add);
        if (other.size() != shadows.size()) {
            throw new IllegalArgumentException(
                    "target has " + other.size() + " parameters, expected " + shadows.size());
        }
        for (int i = 0; i < shadows.size(); i++) {
            NDArray t = other.get(i).getValue().getArray();
            if (!other.get(i).getKey().equals(names.get(i))
                    || !t.getShape().equals(shadows.get(i).getShape())) {
                throw new IllegalArgumentException(
                        "target parameter " + i + " is " + other.get(i).getKey() + t.getShape()
                                + ", expected " + names.get(i) + shadows.get(i).getShape());
            }
            shadows.get(i).copyTo(t);
        }
    }

    /**
     * Puts the averaged weights into the trained block until the returned handle is closed.
     *
     * @return the handle; closing it puts the trained weights back
     */
    public Swap swapIn() {
        if (swapped) {
            throw new IllegalStateException("the shadow is already swapped in");
        }
        swapAll();
        swapped = true;
        return new Swap();
    }

    private void swapAll() {
        for (int i = 0; i < shadows.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            NDArray s = shadows.get(i);
            try (NDManager scope = w.getManager().newSubManager()) {
                scope.tempAttachAll(w, s);
                NDArray trained = w.stopGradient().duplicate();
                s.copyTo(w);
                trained.copyTo(s);
            }
        }
    }

    /** Restores the trained weights that {@link #swapIn()} replaced. */
    public final class Swap implements AutoCloseable {
        private boolean open = true;

        private Swap() {}

        @Override
        public void close() {
            if (open) {
                swapAll();
                swapped = false;
                open = false;
            }
        }
    }

    /** @return the block whose weights are averaged */
    public Block block() {
        return block;
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        if (swapped) {
            throw new IllegalStateException("cannot save while the shadow is swapped in");
        }
        out.writeUTF("ema");
        out.writeLong(updates);
        out.writeInt(shadows.size());
        for (int i = 0; i < shadows.size(); i++) {
            out.writeUTF(names.get(i));
            byte[] bytes = shadows.get(i).encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        if (!"ema".equals(in.readUTF())) {
            throw new IOException("not an EMA state");
        }
        long u = in.readLong();
        int n = in.readInt();
        if (n != shadows.size()) {
            throw new IOException("EMA state has " + n + " arrays, expected " + shadows.size());
        }
        List<NDArray> loaded = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                NDArray a = manager.decode(bytes);
                loaded.add(a);
                if (!name.equals(names.get(i)) || !a.getShape().equals(shadows.get(i).getShape())) {
                    throw new IOException(
                            "EMA entry " + i + " is " + name + a.getShape() + ", expected "
                                    + names.get(i) + shadows.get(i).getShape());
                }
            }
        } catch (IOException | RuntimeException e) {
            loaded.forEach(NDArray::close);
            throw e;
        }
        for (int i = 0; i < n; i++) {
            shadows.get(i).close();
            shadows.set(i, loaded.get(i));
        }
        updates = u;
    }

    /** Frees the shadow arrays. */
    @Override
    public void close() {
        manager.close();
    }
}
