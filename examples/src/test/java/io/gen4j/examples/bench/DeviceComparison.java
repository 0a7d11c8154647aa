package io.gen4j.examples.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.gen4j.core.train.TrainingStep;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs one bench workload ({@link Workloads}) on two devices from the same parameters and the same
 * inputs and compares what they compute; the {@code gpu} test runs it CPU against gpu:0, {@link
 * DeviceComparisonTest} CPU against CPU (and with a perturbed copy, to show it can fail).
 *
 * <p>Both workloads are built with identical arguments; the parameters of every trained block (the
 * training step's {@code TrainingState}) are then copied from the first device onto the second, since
 * each device's generator initialises them differently. In order, each check a relative error
 * {@code ‖a − b‖₂ / ‖a‖₂} against a tolerance:
 *
 * <ol>
 *   <li>{@code step-loss} and {@code step-update}: one training step of the workload itself (its
 *       objective, clipping and optimizer) on the same host-drawn batch ({@link Workloads.Inputs#host}):
 *       the losses it reports ({@code loss}, or each player's {@code <player>.loss}), and the parameter
 *       change it makes (after − before, over every trained block).
 *       These are judged only where both runs draw the same internal noise: on two devices of one
 *       type (the same generator, seeded alike before the step) or for a family whose step draws none
 *       ({@link #NOISE_FREE_STEPS}). Elsewhere (DDPM's t and ε, the VAE's reparameterisation, the GAN's
 *       latents, flow matching's x₀ and t come from each device's own generator, and CPU and CUDA
 *       generators differ) they are reported but not judged.
 *   <li>The sampler: one {@link Workload#sampleStep} on each device, whose output must be finite (the
 *       samplers draw their own noise, so their outputs are not compared). Then a speed reading: wall
 *       milliseconds per training step and per sampler unit over a few steps on each device, after one
 *       warm-up step, printed, never judged (the batches are drawn on the host here, which the bench
 *       does not do; every timed step reads its loss or output, so the device has finished it).
 *   <li>The first device's parameters, now trained, are copied onto the second again (at initialisation
 *       zero-initialised output layers would hide most of a network from the probes), then
 *       {@code forward/<block>}: each trained block's forward ({@code training = false}) on the same
 *       host-drawn uniform inputs in [−1, 1) of the shapes it was initialised with (batch dimension = the
 *       workload's), all outputs together; and {@code gradient/<block>}: the gradient of the sum of the
 *       outputs' mean squares with respect to the block's trainable parameters (what one plain
 *       gradient-descent step would apply).
 * </ol>
 */
final class DeviceComparison {

    /** Families whose training step draws no random numbers of its own (only the batch). */
    static final Set<String> NOISE_FREE_STEPS = Set.of("realnvp", "pixelcnn", "wavenet");

    /** Tolerance of the forward outputs (float32; convolutions may use TF32 on a GPU, cuDNN's default). */
    static final double FORWARD_TOLERANCE = 1e-2;
    /** Tolerance of gradients, the step's loss and its parameter change. */
    static final double GRADIENT_TOLERANCE = 3e-2;

    private static final int INPUT_SEED = 1;
    private static final int PROBE_SEED = 2;
    private static final int STEP_SEED = 3;

    private DeviceComparison() {}

    /**
     * One comparison.
     *
     * @param name what was compared, e.g. {@code forward/unet}
     * @param error the relative error ‖a − b‖ / ‖a‖ (0 when both are zero)
     * @param tolerance the largest error that agrees
     * @param judged whether a larger error is a mismatch (otherwise only reported)
     */
    record Check(String name, double error, double tolerance, boolean judged) {

        boolean mismatch() {
            return judged && !(error <= tolerance);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %.3e (tolerance %.0e%s)", name, error, tolerance,
                    judged ? "" : ", not judged");
        }
    }

    /**
     * Wall milliseconds per training step and per sampler unit on each device.
     *
     * @param trainA on the first device
     * @param trainB on the second device
     * @param sampleA per sampler unit, first device
     * @param sampleB per sampler unit, second device
     */
    record Timing(double trainA, double trainB, double sampleA, double sampleB) {}

    /**
     * What {@link #compare} found.
     *
     * @param family the bench family
     * @param a the first device
     * @param b the second device
     * @param checks every comparison, in order
     * @param sampleFiniteA whether the first device's sampler output was finite
     * @param sampleFiniteB whether the second device's sampler output was finite
     * @param timing the speed reading
     */
    record Report(String family, Device a, Device b, List<Check> checks, boolean sampleFiniteA,
            boolean sampleFiniteB, Timing timing) {

        /** @return the judged checks over their tolerance */
        List<Check> mismatches() {
            return checks.stream().filter(Check::mismatch).toList();
        }

        /** @return the checks, the sampler verdicts and the speed reading, one line each */
        String describe() {
            StringBuilder s = new StringBuilder(family + ": " + a + " vs " + b + "\n");
            checks.forEach(c -> s.append("  ").append(c).append('\n'));
            s.append("  sampler output finite: ").append(sampleFiniteA).append(" / ").append(sampleFiniteB)
                    .append('\n');
            s.append(String.format(Locale.ROOT, "  ms per training step %.2f / %.2f, per sampler unit %.3f / %.3f",
                    timing.trainA(), timing.trainB(), timing.sampleA(), timing.sampleB()));
            return s.toString();
        }
    }

    /**
     * @param family a bench family ({@link Workloads#FAMILIES})
     * @param batch the batch size, 0 for the family's reference batch
     * @param a the reference device
     * @param b the device under test
     * @param perturb added to the second device's copy of every trainable parameter (0 for an exact
     *     copy; another value shows a mismatch)
     * @param timedSteps training steps and sampler steps timed on each device after one warm-up step
     * @return the checks, sampler verdicts and timings
     */
    static Report compare(String family, int batch, Device a, Device b, double perturb, int timedSteps) {
        try (Workload wa = Workloads.create(family, batch, a, Workloads.Inputs.host(INPUT_SEED));
                Workload wb = Workloads.create(family, batch, b, Workloads.Inputs.host(INPUT_SEED));
                NDManager scopeA = NDManager.newBaseManager(a);
                NDManager scopeB = NDManager.newBaseManager(b)) {
            int n = wa.batch();
            Map<String, Block> blocksA = blocks(wa);
            Map<String, Block> blocksB = blocks(wb);
            copyParameters(blocksA, blocksB, perturb);
            List<Check> checks = new ArrayList<>();
            boolean judged = NOISE_FREE_STEPS.contains(family) || a.getDeviceType().equals(b.getDeviceType());
            float[] beforeA = flatten(blocksA);
            float[] beforeB = flatten(blocksB);
            float[] lossA = trainStep(wa, scopeA);
            float[] lossB = trainStep(wb, scopeB);
            checks.add(new Check("step-loss", error(lossA, lossB), GRADIENT_TOLERANCE, judged));
            double update = error(minus(flatten(blocksA), beforeA), minus(flatten(blocksB), beforeB));
            checks.add(new Check("step-update", update, GRADIENT_TOLERANCE, judged));
            boolean finiteA = sampleFinite(wa, scopeA);
            boolean finiteB = sampleFinite(wb, scopeB);
            Timing timing = new Timing(millisPerTrainStep(wa, scopeA, timedSteps),
                    millisPerTrainStep(wb, scopeB, timedSteps), millisPerSampleUnit(wa, scopeA, timedSteps),
                    millisPerSampleUnit(wb, scopeB, timedSteps));
            // the probes run on the first device's trained parameters: at initialisation zero-initialised
            // output layers would make most of a network invisible to them
            copyParameters(blocksA, blocksB, perturb);
            for (String name : blocksA.keySet()) {
                Block ba = blocksA.get(name);
                Block bb = blocksB.get(name);
                List<float[]> probe = probeInputs(ba, n);
                double forward = error(forward(ba, scopeA, probe, n), forward(bb, scopeB, probe, n));
                checks.add(new Check("forward/" + name, forward, FORWARD_TOLERANCE, true));
                double gradient = error(gradient(ba, scopeA, probe, n), gradient(bb, scopeB, probe, n));
                checks.add(new Check("gradient/" + name, gradient, GRADIENT_TOLERANCE, true));
            }
            return new Report(family, a, b, List.copyOf(checks), finiteA, finiteB, timing);
        }
    }

    /** The trained blocks of a workload, by name: the {@code TrainingState} of its training step. */
    static Map<String, Block> blocks(Workload w) {
        try {
            for (Field f : w.getClass().getDeclaredFields()) {
                if (TrainingStep.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    return new TreeMap<>(((TrainingStep) f.get(w)).state().blocks());
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException(w.family() + ": the workload has no training step field");
    }

    private static void copyParameters(Map<String, Block> from, Map<String, Block> to, double perturb) {
        for (Map.Entry<String, Block> e : from.entrySet()) {
            PairList<String, Parameter> pa = e.getValue().getParameters();
            PairList<String, Parameter> pb = to.get(e.getKey()).getParameters();
            if (pa.size() != pb.size()) {
                throw new IllegalStateException(e.getKey() + ": " + pa.size() + " vs " + pb.size() + " parameters");
            }
            for (int i = 0; i < pa.size(); i++) {
                if (!pa.keys().get(i).equals(pb.keys().get(i))) {
                    throw new IllegalStateException(pa.keys().get(i) + " vs " + pb.keys().get(i));
                }
                NDArray dst = pb.valueAt(i).getArray();
                dst.set(pa.valueAt(i).getArray().toByteBuffer());
                if (perturb != 0 && pb.valueAt(i).requiresGradient()) {
                    dst.addi(perturb);
                }
            }
        }
    }

    private static List<float[]> probeInputs(Block block, int batch) {
        Workloads.Inputs host = Workloads.Inputs.host(PROBE_SEED);
        List<float[]> values = new ArrayList<>();
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
            for (Shape s : block.describeInput().values()) {
                long[] dims = s.getShape().clone();
                dims[0] = batch;
                values.add(host.uniform(cpu, -1, 1, new Shape(dims)).toFloatArray());
            }
        }
        return values;
    }

    private static NDList inputs(Block block, NDManager scope, List<float[]> values, int batch) {
        NDList list = new NDList();
        List<Shape> shapes = block.describeInput().values();
        for (int i = 0; i < values.size(); i++) {
            long[] dims = shapes.get(i).getShape().clone();
            dims[0] = batch;
            list.add(scope.create(values.get(i), new Shape(dims)));
        }
        return list;
    }

    private static float[] forward(Block block, NDManager manager, List<float[]> probe, int batch) {
        try (NDManager scope = manager.newSubManager()) {
            NDList in = inputs(block, scope, probe, batch);
            return concat(block.forward(new ParameterStore(scope, false), in, false));
        }
    }

    private static float[] gradient(Block block, NDManager manager, List<float[]> probe, int batch) {
        try (NDManager scope = manager.newSubManager()) {
            NDList in = inputs(block, scope, probe, batch);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = null;
                for (NDArray out : block.forward(new ParameterStore(scope, false), in, false)) {
                    NDArray term = out.toType(DataType.FLOAT32, false).square().mean();
                    loss = loss == null ? term : loss.add(term);
                }
                gc.backward(loss);
            }
            List<float[]> grads = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    NDArray g = p.getValue().getArray().getGradient();
                    grads.add(g.toType(DataType.FLOAT32, false).toFloatArray());
                    g.muli(0);
                }
            }
            return join(grads);
        }
    }

    /** @return the losses the step reports ({@code loss}, or each player's {@code <player>.loss}), by name */
    private static float[] trainStep(Workload w, NDManager manager) {
        Engine.getInstance().setRandomSeed(STEP_SEED);
        try (NDManager scope = manager.newSubManager()) {
            w.trainStep(scope, 0);
        }
        List<float[]> losses = new ArrayList<>();
        for (Map.Entry<String, Double> e : new TreeMap<>(((Workloads.OwnedWorkload) w).losses).entrySet()) {
            if (e.getKey().equals("loss") || e.getKey().endsWith(".loss")) {
                losses.add(new float[] {e.getValue().floatValue()});
            }
        }
        if (losses.isEmpty()) {
            throw new IllegalStateException(w.family() + ": the training step reported no loss");
        }
        return join(losses);
    }

    private static boolean sampleFinite(Workload w, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            w.sampleStep(scope);
            float[] out = ((Workloads.OwnedWorkload) w).lastSample();
            if (out == null || out.length == 0) {
                return false;
            }
            for (float v : out) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static double millisPerTrainStep(Workload w, NDManager manager, int steps) {
        trainStep(w, manager); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            trainStep(w, manager); // reads the loss: waits for the device every step
        }
        return (System.nanoTime() - t0) / 1e6 / steps;
    }

    private static double millisPerSampleUnit(Workload w, NDManager manager, int steps) {
        sampleFinite(w, manager); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            sampleFinite(w, manager); // reads the output: waits for the device every step
        }
        return (System.nanoTime() - t0) / 1e6 / steps / w.sampleUnits();
    }

    private static float[] flatten(Map<String, Block> blocks) {
        List<float[]> all = new ArrayList<>();
        for (Block b : blocks.values()) {
            for (Pair<String, Parameter> p : b.getParameters()) {
                all.add(p.getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray());
            }
        }
        return join(all);
    }

    private static float[] concat(NDList outputs) {
        List<float[]> all = new ArrayList<>();
        for (NDArray o : outputs) {
            all.add(o.toType(DataType.FLOAT32, false).toFloatArray());
        }
        return join(all);
    }

    private static float[] join(List<float[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int k = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    private static float[] minus(float[] x, float[] y) {
        float[] d = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] - y[i];
        }
        return d;
    }

    /**
     * @return ‖a − b‖₂ / ‖a‖₂; 0 when both are zero, infinite when only a is, NaN when either has a
     *     non-finite value (NaN fails every tolerance)
     */
    static double error(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " vs " + b.length + " values");
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            diff += d * d;
            norm += (double) a[i] * a[i];
        }
        if (diff == 0) {
            return Double.isFinite(norm) ? 0 : Double.NaN;
        }
        return Math.sqrt(diff) / Math.sqrt(norm);
    }
}
