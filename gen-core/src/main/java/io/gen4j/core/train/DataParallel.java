package io.gen4j.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.translate.Batchifier;
import ai.djl.util.Pair;
import io.gen4j.core.math.Scalars;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Data-parallel training over the devices of one machine, with DJL's own mechanisms: the batch is
 * split per device ({@link Batchifier#split}), a {@link ParameterStore} with copies gives every
 * block a copy of each parameter on the device of its input, and a {@link ParameterServer} collects
 * the copies' gradients. gen4j's optimizers keep their state on the parameters themselves (for exact
 * resume), so this server does not update the copies: it sums their gradients into the parameter's
 * own gradient, and the step's optimizer then updates the parameter once. The next step's store
 * copies the updated parameters to the devices again.
 *
 * <p>With slices of sizes n₁ … n_k of a batch of n and an objective that returns a mean over its
 * batch, slice i's loss is weighted by nᵢ/n, so the summed gradient is the gradient of the mean over
 * the whole batch (test: one step on two devices equals one step on one, to float rounding). It is not
 * the same run as one device: noise drawn in the loss and batch statistics are per slice.
 *
 * <p>Selected with {@link ObjectiveStep.Builder#optDevices}; device lists come from {@link #parse}.
 */
public final class DataParallel {

    private final List<Device> devices;

    /**
     * @param devices the devices, at least one; a GPU at most once. The CPU may appear several times:
     *     DJL has one CPU device ({@code cpu:1} is {@code cpu()}), so k CPU entries split the batch
     *     into k slices computed one after another on the CPU, their gradients summed the same way,
     *     which is how the split and the summing are tested on a machine without GPUs
     */
    public DataParallel(List<Device> devices) {
        if (devices == null || devices.isEmpty()) {
            throw new IllegalArgumentException("data-parallel training needs at least one device");
        }
        List<Device> gpus = devices.stream().filter(Device::isGpu).toList();
        if (new LinkedHashSet<>(gpus).size() != gpus.size()) {
            throw new IllegalArgumentException("a GPU must not repeat, got " + devices);
        }
        this.devices = List.copyOf(devices);
    }

    /**
     * Parses a device list such as {@code gpu:0,gpu:1}. Entries: {@code gpu:N} (or {@code cuda:N}), and
     * {@code cpu} or {@code cpu:N}: every CPU entry is DJL's one CPU device (several of them split the
     * batch into slices computed one after another, see the constructor).
     *
     * @param spec comma-separated devices
     * @return them, in order
     */
    public static List<Device> parse(String spec) {
        List<Device> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String s = part.trim().toLowerCase(Locale.ROOT);
            String type = s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
            int id = 0;
            if (s.contains(":")) {
                try {
                    id = Integer.parseInt(s.substring(s.indexOf(':') + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("devices must be like gpu:0,gpu:1 or cpu, got '" + spec + "'", e);
                }
            }
            if (id < 0) {
                throw new IllegalArgumentException("device ids must be >= 0, got '" + part + "' in '" + spec + "'");
            }
            switch (type) {
                case "cpu" -> out.add(s.contains(":") ? Device.of(Device.Type.CPU, id) : Device.cpu());
                case "gpu", "cuda" -> out.add(Device.gpu(id));
                default -> throw new IllegalArgumentException(
                        "devices must be like gpu:0,gpu:1 or cpu, got '" + part + "' in '" + spec + "'");
            }
        }
        return out;
    }

    /**
     * Writes a device list the way {@link #parse} reads it: {@code gpu:N} for a GPU, {@code cpu} for
     * the CPU.
     *
     * @param devices the devices
     * @return e.g. {@code gpu:0,gpu:1}
     */
    public static String format(List<Device> devices) {
        List<String> parts = new ArrayList<>(devices.size());
        for (Device d : devices) {
            parts.add(d.isGpu() ? "gpu:" + d.getDeviceId() : d.getDeviceType());
        }
        return String.join(",", parts);
    }

    /** @return the devices */
    public List<Device> devices() {
        return devices;
    }

    /**
     * Splits a batch along its first axis into one slice per device, as DJL's {@link Batchifier#STACK}
     * does: slices of ⌈n/k⌉ rows, the last one smaller (10 rows over 3 devices: 4, 4, 2), fewer slices
     * when the batch has fewer rows than there are devices; each slice moved to its device.
     *
     * @param batch arrays with the same first dimension
     * @return the slices, in device order
     */
    public List<NDList> split(NDList batch) {
        long n = batch.head().getShape().get(0);
        int k = (int) Math.min(devices.size(), n);
        NDList[] parts = Batchifier.STACK.split(batch, k, false);
        List<NDList> out = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            NDList moved = new NDList(parts[i].size());
            for (NDArray a : parts[i]) {
                NDArray b = a.getDevice().equals(devices.get(i)) ? a : a.toDevice(devices.get(i), true);
                b.attach(batch.head().getManager());
                moved.add(b);
            }
            out.add(moved);
        }
        return out;
    }

    /**
     * A parameter store for one step: copies of the network's parameters on every device, freed with
     * the step's manager, and a server that sums the copies' gradients into the parameters' own
     * gradients when {@link ParameterStore#updateAllParameters()} is called.
     *
     * @param network the network being trained
     * @param manager the step's manager
     * @return the store
     */
    ParameterStore store(Block network, NDManager manager) {
        ParameterStore store = new ParameterStore(manager, true);
        // one copy per distinct device (DJL refuses repeats): CPU slices share the CPU's copy
        store.setParameterServer(new GradientSum(network), devices.stream().distinct().toArray(Device[]::new));
        return store;
    }

    /** Sums the per-device gradients of each parameter into the parameter's own gradient. */
    private static final class GradientSum implements ParameterServer {

        private final Map<String, Parameter> parameters = new HashMap<>();

        GradientSum(Block network) {
            for (Pair<String, Parameter> p : network.getParameters()) {
                parameters.put(p.getValue().getId(), p.getValue());
            }
        }

        @Override
        public void init(String parameterId, NDArray[] value) {}

        @Override
        public void update(String parameterId, NDArray[] grads, NDArray[] params) {
            Parameter p = parameters.get(parameterId);
            if (p == null || !p.requiresGradient()) {
                return;
            }
            NDArray w = p.getArray();
            try (NDManager scope = w.getManager().newSubManager()) {
                scope.tempAttachAll(w);
                NDArray own = w.getGradient();
                NDArray total = own.duplicate();
                for (int i = 0; i < grads.length; i++) {
                    if (params[i] != w) { // a copy; the parameter's own uses are already in its gradient
                        NDArray g = grads[i].toDevice(w.getDevice(), true);
                        g.attach(scope);
                        total.addi(g);
                    }
                }
                Scalars.timesInPlace(own, 0f).addi(total);
            }
        }

        @Override
        public void close() {}
    }
}
