package io.gen4j.diffusion.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.TimeGrid;
import java.util.Arrays;

/**
 * One halving of progressive distillation (Salimans &amp; Ho 2022, "Progressive Distillation for
 * Fast Sampling of Diffusion Models", Algorithm 2) as a gen-core {@link Objective}: a student that
 * samples with DDIM on every other step of the teacher's grid learns to land, in one step, where
 * two deterministic DDIM steps of the frozen teacher land.
 *
 * <p>For a student step t → t'' (teacher steps t → t' → t'', t'' = −1 for clean data), with α_t =
 * √ᾱ_t, σ_t = √(1 − ᾱ_t) and z_t = α_t·x_0 + σ_t·ε:
 *
 * <pre>
 *   z_{t'}  = α_{t'}·x̂_0(z_t) + σ_{t'}·ε̂(z_t)                 (teacher DDIM step, η = 0)
 *   z_{t''} = α_{t''}·x̂_0(z_{t'}) + σ_{t''}·ε̂(z_{t'})          (second teacher step)
 *   x̃       = (z_{t''} − (σ_{t''}/σ_t)·z_t) / (α_{t''} − (σ_{t''}/σ_t)·α_t)
 * </pre>
 *
 * x̃ is the x̂_0 for which the student's single DDIM step z_{t''} = α_{t''}·x̃ + σ_{t''}·(z_t −
 * α_t·x̃)/σ_t reproduces the teacher's two steps. The student predicts v (Salimans &amp; Ho §4, stable
 * at every SNR; it starts as a copy of the teacher, so the teacher is trained with v-prediction
 * too) and its loss is ‖v_θ(z_t) − ṽ‖², ṽ = α_t·ε̃ − σ_t·x̃ with ε̃ = (z_t − α_t·x̃)/σ_t: the
 * x-space error weighted by 1 + SNR ("SNR+1" weighting, §4). The student step is drawn uniformly
 * per example; t''s teacher outputs are computed in {@link #prepare}, outside autograd.
 *
 * <p>A batch is {@code (x0)} or {@code (x0, labels)}; with {@code conditional} both teacher and
 * student see the labels. Randomness (step, ε) comes from the engine generator.
 *
 * @param student the student network (v-prediction), initialised from the teacher's weights
 * @param teacher the frozen teacher as a diffusion model (no clipping), its denoiser bound to its own
 *     parameters in inference mode
 * @param teacherGrid the teacher's grid, of even size; the student samples on {@link #halve} of it
 * @param conditional whether to pass the batch's labels
 * @param <N> a block that is a denoising network
 */
public record ProgressiveDistillation<N extends Block & DenoisingNetwork>(
        N student, DiffusionModel teacher, TimeGrid teacherGrid, boolean conditional) implements Objective {

    /** Validates. */
    public ProgressiveDistillation {
        if (student == null || teacher == null || teacherGrid == null) {
            throw new IllegalArgumentException("student, teacher and teacherGrid must not be null");
        }
        if (teacherGrid.size() < 2 || teacherGrid.size() % 2 != 0) {
            throw new IllegalArgumentException("the teacher grid needs an even number >= 2 of steps, got "
                    + teacherGrid.size());
        }
        if (Double.isFinite(teacher.clipX0())) {
            throw new IllegalArgumentException("the teacher must not clip x0 (the target would not be two DDIM "
                    + "steps of the unclipped model), got clipX0 = " + teacher.clipX0());
        }
    }

    /**
     * @param grid a grid of even size
     * @return its steps at even positions t_0, t_2, …: the student's grid, whose step t_{2j} → t_{2j+2}
     *     (→ clean data after the last) spans two teacher steps
     */
    public static TimeGrid halve(TimeGrid grid) {
        if (grid.size() % 2 != 0) {
            throw new IllegalArgumentException("only a grid of even size halves, got " + grid.size() + " steps");
        }
        int[] s = new int[grid.size() / 2];
        for (int j = 0; j < s.length; j++) {
            s[j] = grid.step(2 * j);
        }
        return new TimeGrid(s);
    }

    /**
     * Initialises a student as a copy of the teacher (Salimans &amp; Ho: "initialize student from
     * teacher"): the values of every parameter of {@code teacher} are written in place into the
     * parameter at the same position and with the same name and shape in {@code student}, a network of
     * the same configuration (bit-exact; the student's arrays keep their gradients).
     *
     * @param teacher the trained network
     * @param student an initialised network of the same architecture
     */
    public static void initialiseFrom(Block teacher, Block student) {
        var from = teacher.getParameters();
        var to = student.getParameters();
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("the student has " + to.size() + " parameters, the teacher "
                    + from.size());
        }
        for (int i = 0; i < from.size(); i++) {
            NDArray src = from.get(i).getValue().getArray();
            NDArray dst = to.get(i).getValue().getArray();
            if (!from.get(i).getKey().equals(to.get(i).getKey()) || !src.getShape().equals(dst.getShape())) {
                throw new IllegalArgumentException("parameter " + i + " differs: teacher " + from.get(i).getKey()
                        + " " + src.getShape() + ", student " + to.get(i).getKey() + " " + dst.getShape());
            }
            dst.set(src.toByteBuffer());
        }
    }

    @Override
    public Block network() {
        return student;
    }

    /**
     * Draws a student step per example and ε, noises the batch and runs the teacher's two DDIM steps.
     *
     * @return (z_t, t as float, ṽ[, labels])
     */
    @Override
    public NDList prepare(StepContext context, NDList batch) {
        NDArray x0 = batch.head();
        NDManager manager = x0.getManager();
        int n = Math.toIntExact(x0.getShape().get(0));
        int pairs = teacherGrid.size() / 2;
        int[] j = manager.randomInteger(0, pairs, new Shape(n), DataType.INT32).toIntArray();
        int[] t = new int[n];
        int[] mid = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = teacherGrid.step(2 * j[i]);
            mid[i] = teacherGrid.step(2 * j[i] + 1);
            next[i] = teacherGrid.next(2 * j[i] + 1);
        }
        NDArray epsilon = manager.randomNormal(0f, 1f, x0.getShape(), x0.getDataType());
        NoiseSchedule schedule = teacher.schedule();
        NDArray a = coefficient(x0, t, s -> Math.sqrt(schedule.alphaBar(s)));
        NDArray sd = coefficient(x0, t, s -> Math.sqrt(1 - schedule.alphaBar(s)));
        NDArray zt = x0.mul(a).add(epsilon.mul(sd));
        Condition condition = condition(batch);
        NDArray target = target(teacher, zt, t, mid, next, condition);
        // ṽ = α_t ε̃ − σ_t x̃ with ε̃ = (z_t − α_t x̃)/σ_t
        NDArray epsTilde = zt.sub(target.mul(a)).div(sd);
        NDArray vTilde = epsTilde.mul(a).sub(target.mul(sd));
        float[] time = new float[n];
        for (int i = 0; i < n; i++) {
            time[i] = t[i];
        }
        NDList out = new NDList(zt, manager.create(time), vTilde);
        if (conditional) {
            out.add(batch.get(1));
        }
        return out;
    }

    @Override
    public LossTerms loss(StepContext context, NDList batch) {
        NDArray zt = batch.get(0);
        NDArray time = batch.get(1);
        NDArray vTilde = batch.get(2);
        Condition condition = conditional ? Condition.labels(batch.get(3)) : Condition.none();
        NDArray v = student.denoiser(context.parameters(), context.training()).predict(zt, time, condition);
        long n = zt.getShape().get(0);
        NDArray perExample = v.sub(vTilde).square().reshape(n, -1).mean(new int[] {1});
        return LossTerms.of(perExample.mean());
    }

    /**
     * The distillation target x̃ of every example: the clean-sample estimate with which one DDIM step
     * from t to t'' reproduces the teacher's two DDIM steps t → t' → t''.
     *
     * @param teacher the teacher
     * @param zt the noisy inputs at t, shape (N, ...)
     * @param t each example's start step
     * @param mid each example's intermediate step t'
     * @param next each example's end step t'' (−1 for clean data)
     * @param condition the condition
     * @return x̃, in the manager of zt
     */
    public static NDArray target(DiffusionModel teacher, NDArray zt, int[] t, int[] mid, int[] next,
            Condition condition) {
        NoiseSchedule s = teacher.schedule();
        NDArray zMid = ddimStep(teacher, zt, t, mid, condition);
        NDArray zNext = ddimStep(teacher, zMid, mid, next, condition);
        // ratio = σ_{t''}/σ_t; x̃ = (z_{t''} − ratio·z_t) / (α_{t''} − ratio·α_t)
        NDArray ratio = coefficient(zt, t, next, (from, to) -> Math.sqrt(1 - s.alphaBar(to))
                / Math.sqrt(1 - s.alphaBar(from)));
        NDArray denominator = coefficient(zt, t, next, (from, to) -> Math.sqrt(s.alphaBar(to))
                - Math.sqrt(1 - s.alphaBar(to)) / Math.sqrt(1 - s.alphaBar(from)) * Math.sqrt(s.alphaBar(from)));
        return zNext.sub(zt.mul(ratio)).div(denominator);
    }

    /** One deterministic DDIM step of the teacher from per-example steps {@code from} to {@code to}. */
    private static NDArray ddimStep(DiffusionModel teacher, NDArray x, int[] from, int[] to, Condition condition) {
        NoiseSchedule s = teacher.schedule();
        int n = from.length;
        float[] time = new float[n];
        for (int i = 0; i < n; i++) {
            time[i] = from[i];
        }
        NDArray output = teacher.denoiser().predict(x, x.getManager().create(time), condition);
        NDArray abFrom = coefficient(x, from, u -> s.alphaBar(u));
        NDArray x0 = teacher.prediction().toX0(x, output, abFrom);
        NDArray eps = teacher.prediction().toEpsilon(x, output, abFrom);
        NDArray a = coefficient(x, to, u -> Math.sqrt(s.alphaBar(u)));
        NDArray sd = coefficient(x, to, u -> Math.sqrt(1 - s.alphaBar(u)));
        return x0.mul(a).add(eps.mul(sd));
    }

    private Condition condition(NDList batch) {
        if (!conditional) {
            return Condition.none();
        }
        if (batch.size() < 2) {
            throw new IllegalArgumentException("a conditional distillation needs (x0, labels) batches, got "
                    + batch.size() + " arrays");
        }
        return Condition.labels(batch.get(1));
    }

    /** f(step) per example as an (N, 1, …, 1) array in the manager and type of {@code like}. */
    private static NDArray coefficient(NDArray like, int[] steps, java.util.function.IntToDoubleFunction f) {
        double[] v = new double[steps.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(steps[i]);
        }
        return shaped(like, v);
    }

    private static NDArray coefficient(NDArray like, int[] from, int[] to,
            java.util.function.BiFunction<Integer, Integer, Double> f) {
        double[] v = new double[from.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.apply(from[i], to[i]);
        }
        return shaped(like, v);
    }

    private static NDArray shaped(NDArray like, double[] v) {
        long[] dims = new long[like.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = v.length;
        return like.getManager().create(v, new Shape(dims)).toType(like.getDataType(), false);
    }
}
