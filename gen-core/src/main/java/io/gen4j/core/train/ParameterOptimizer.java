package io.gen4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.kernels.MultiTensorOps;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Base of gen4j's optimizers: updates the trainable parameters of some blocks from their
 * gradients, keeps per-parameter state arrays (moments) that a checkpoint saves and restores
 * exactly (DJL's own optimizers keep theirs private, docs/known-issues.md §2).
 *
 * <p>Call {@link #update()} after the {@code GradientCollector} of the backward pass is closed; it
 * applies one update to every parameter that requires a gradient and then zeroes the gradients. Where the
 * engine updates a whole list of parameters in one call ({@link Kernels#multiTensor()}: libtorch's
 * {@code _fused_adam_} on CPU) and the optimizer uses it ({@link #applyAll}), that is one native call for the
 * update and one for the zeroing, instead of a few per parameter.
 * The learning rate of update {@code t} (0-based) is {@code schedule.rate(t)}; {@code t} is part of
 * the saved state.
 *
 * <p>State arrays live in a sub-manager of the first parameter's manager; every update runs in its
 * own scope, so updates allocate nothing that outlives them.
 */
public abstract class ParameterOptimizer implements Stateful, AutoCloseable {

    private final LearningRateSchedule schedule;
    private final List<Slot> slots = new ArrayList<>();
    private final NDManager stateManager;
    private long updates;
    private UpdateConstants constants;
    private final Kernels kernels;

    /**
     * Creates the optimizer and its zero state.
     *
     * @param schedule the learning-rate schedule
     * @param stateArrays number of state arrays per parameter (2 for Adam)
     * @param blocks the initialized blocks whose trainable parameters this optimizer updates
     */
    protected ParameterOptimizer(LearningRateSchedule schedule, int stateArrays, Block... blocks) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (blocks.length == 0) {
            throw new IllegalArgumentException("an optimizer needs at least one block");
        }
        NDManager manager = null;
        for (int b = 0; b < blocks.length; b++) {
            if (!blocks[b].isInitialized()) {
                throw new IllegalArgumentException("block " + b + " is not initialized");
            }
            for (Pair<String, Parameter> p : blocks[b].getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue;
                }
                if (manager == null) {
                    manager = p.getValue().getArray().getManager().newSubManager();
                }
                NDArray w = p.getValue().getArray();
                NDArray[] state = new NDArray[stateArrays];
                for (int i = 0; i < stateArrays; i++) {
                    state[i] = manager.zeros(w.getShape(), w.getDataType());
                }
                slots.add(new Slot(b + "/" + p.getKey(), p.getValue(), state));
            }
        }
        if (manager == null) {
            throw new IllegalArgumentException("the blocks have no trainable parameter");
        }
        this.stateManager = manager;
        this.kernels = Kernels.forArray(slots.get(0).parameter.getArray());
    }

    /**
     * The engine's fused kernels for this optimizer's parameters (chosen once, at construction, by
     * the parameters' engine; {@link Kernels#composed()} when the engine registers none).
     *
     * @return the kernels
     */
    public final Kernels kernels() {
        return kernels;
    }

    /**
     * Applies one update to every trainable parameter from its current gradient, then zeroes the
     * gradients.
     *
     * @throws IllegalStateException when the schedule gives a rate that is not finite and &gt;= 0
     */
    public final void update() {
        double lr = schedule.rate(updates);
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalStateException(
                    "learning rate of update " + updates + " must be finite and >= 0, got " + lr);
        }
        long t = ++updates;
        Optional<MultiTensorOps> multi = kernels.multiTensor();
        if (multi.isPresent() && updateAll(multi.get(), (float) lr, t)) {
            return;
        }
        try (UpdateConstants k = new UpdateConstants(stateManager)) {
            constants = k;
            for (Slot slot : slots) {
                NDArray w = slot.parameter.getArray();
                try (NDManager scope = w.getManager().newSubManager()) {
                    scope.tempAttachAll(w);
                    scope.tempAttachAll(slot.state);
                    NDArray grad = w.getGradient();
                    apply(w, grad, slot.state, (float) lr, t);
                    k.timesInPlace(grad, 0f);
                }
            }
        } finally {
            constants = null;
        }
    }

    /**
     * Update {@code t} of every parameter through {@link #applyAll}, then the gradients zeroed as one list.
     *
     * @return false when {@link #applyAll} declined (nothing changed)
     */
    private boolean updateAll(MultiTensorOps ops, float lr, long t) {
        try (NDManager scope = stateManager.newSubManager()) {
            List<NDArray> weights = new ArrayList<>(slots.size());
            List<NDArray> grads = new ArrayList<>(slots.size());
            List<List<NDArray>> states = new ArrayList<>();
            for (int i = 0; i < slots.get(0).state.length; i++) {
                states.add(new ArrayList<>(slots.size()));
            }
            for (Slot slot : slots) {
                NDArray w = slot.parameter.getArray();
                NDArray g = w.getGradient();
                g.attach(scope);
                weights.add(w);
                grads.add(g);
                for (int i = 0; i < slot.state.length; i++) {
                    states.get(i).add(slot.state[i]);
                }
            }
            if (!applyAll(weights, grads, states, lr, t)) {
                return false;
            }
            if (!ops.zero(grads)) {
                try (UpdateConstants k = new UpdateConstants(scope)) {
                    for (NDArray g : grads) {
                        k.timesInPlace(g, 0f);
                    }
                }
            }
            return true;
        }
    }

    /**
     * Updates every parameter in place at once, where the engine has a kernel for that ({@link
     * Kernels#multiTensor()}); the default declines, and {@link #apply} then updates them one by one.
     *
     * @param weights the parameters, in this optimizer's order, to update in place
     * @param grads their gradients (do not keep them)
     * @param states {@code states.get(k)} lists state array k of every parameter, to update in place
     * @param lr the learning rate of this update
     * @param t the 1-based index of this update
     * @return true when every parameter was updated; false when nothing was changed
     */
    protected boolean applyAll(List<NDArray> weights, List<NDArray> grads, List<List<NDArray>> states, float lr,
            long t) {
        return false;
    }

    /**
     * The scalar constants shared by all parameters of the update in progress (gen4j's own optimizers
     * use them; see {@link UpdateConstants}).
     *
     * @return the constants of the current update
     * @throws IllegalStateException outside {@link #apply}
     */
    UpdateConstants constants() {
        if (constants == null) {
            throw new IllegalStateException("constants exist only during update()");
        }
        return constants;
    }

    /**
     * Updates one parameter in place. All arrays are temporarily attached to a scope that is
     * closed after the call, so any new array made from them is freed.
     *
     * @param weight the parameter, to update in place
     * @param grad its gradient (do not keep it)
     * @param state this parameter's state arrays, to update in place
     * @param lr the learning rate of this update
     * @param t the 1-based index of this update (for bias corrections)
     */
    protected abstract void apply(NDArray weight, NDArray grad, NDArray[] state, float lr, long t);

    /** @return a short name of the algorithm, written in and checked by saved state */
    protected abstract String kind();

    /** @return the number of updates applied so far */
    public long updates() {
        return updates;
    }

    /** @return the learning rate the next update will use */
    public double nextLearningRate() {
        return schedule.rate(updates);
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        out.writeUTF(kind());
        out.writeLong(updates);
        out.writeInt(slots.size());
        for (Slot slot : slots) {
            out.writeUTF(slot.key);
            out.writeInt(slot.state.length);
            for (NDArray a : slot.state) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        String k = in.readUTF();
        if (!k.equals(kind())) {
            throw new IOException("optimizer state is of kind '" + k + "', expected '" + kind() + "'");
        }
        long u = in.readLong();
        int n = in.readInt();
        if (n != slots.size()) {
            throw new IOException(
                    "optimizer state has " + n + " parameters, this optimizer has " + slots.size());
        }
        NDArray[][] loaded = new NDArray[n][];
        try {
            for (int s = 0; s < n; s++) {
                Slot slot = slots.get(s);
                String key = in.readUTF();
                int m = in.readInt();
                if (!key.equals(slot.key) || m != slot.state.length) {
                    throw new IOException(
                            "optimizer state entry " + s + " is '" + key + "' with " + m
                                    + " arrays, expected '" + slot.key + "' with "
                                    + slot.state.length);
                }
                loaded[s] = new NDArray[m];
                for (int i = 0; i < m; i++) {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    NDArray a = stateManager.decode(bytes);
                    loaded[s][i] = a;
                    Shape expected = slot.state[i].getShape();
                    if (!a.getShape().equals(expected)) {
                        throw new IOException(
                                "state of '" + key + "' has shape " + a.getShape() + ", expected "
                                        + expected);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            Arrays.stream(loaded).filter(Objects::nonNull).flatMap(Arrays::stream)
                    .filter(Objects::nonNull).forEach(NDArray::close);
            throw e;
        }
        for (int s = 0; s < n; s++) {
            NDArray[] state = slots.get(s).state;
            for (int i = 0; i < state.length; i++) {
                state[i].close();
                state[i] = loaded[s][i];
            }
        }
        updates = u;
    }

    /** Frees the state arrays. */
    @Override
    public void close() {
        stateManager.close();
    }

    private static final class Slot {
        final String key;
        final Parameter parameter;
        final NDArray[] state;

        Slot(String key, Parameter parameter, NDArray[] state) {
            this.key = key;
            this.parameter = parameter;
            this.state = state;
        }
    }
}
