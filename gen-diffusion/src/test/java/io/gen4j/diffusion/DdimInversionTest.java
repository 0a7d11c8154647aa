package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DDIM inversion driven by the exact denoiser of Gaussian data, whose ε̂ is known in closed form:
 * for x_0 ~ N(μ, σ²) and x_t = a·x_0 + s·ε (a = √ᾱ_t, s = √(1 − ᾱ_t)), E[x_0 | x_t] = μ + g·(x_t −
 * a·μ) with g = a·σ²/(a²·σ² + s²), and ε̂ = (x_t − a·E[x_0 | x_t]) / s.
 */
class DdimInversionTest {

    static final double[] MEAN = {0.5, -0.3, 0.0};
    static final double[] STD = {0.4, 0.8, 0.25};

    private NDManager manager;
    private NoiseSchedule schedule;
    private DiffusionModel model;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(99);
        schedule = NoiseSchedule.cosine(1000);
        model = new DiffusionModel(new GaussianDataDenoiser(schedule, MEAN, STD,
                Prediction.EPSILON), schedule, Prediction.EPSILON);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** The oracle ε̂ at (x, t) for coordinate d, written from the joint Gaussian of (x_0, x_t). */
    private double oracleEpsilon(double x, int t, int d) {
        double ab = schedule.alphaBar(t);
        double a = Math.sqrt(ab);
        double s = Math.sqrt(1 - ab);
        double var = STD[d] * STD[d];
        double g = a * var / (ab * var + (1 - ab));
        double x0Hat = MEAN[d] + g * (x - a * MEAN[d]);
        return (x - a * x0Hat) / s;
    }

    /**
     * On a trailing grid the smallest step is t_0 = 99 (ᾱ ≈ 0.97), not 0. The first inverted state
     * must be √ᾱ_{t_0}·x_0 + √(1 − ᾱ_{t_0})·ε̂(x_0, t_0), which differs from x_0 (what the old code
     * returned: it rebuilt x̂_0 from ε̂ and re-noised it, giving x_0 back) by far more than the
     * tolerance.
     */
    @Test
    void theStepFromCleanDataUsesX0AndTheNetworkNoiseAtTheFirstStep() {
        TimeGrid grid = TimeGrid.spaced(1000, 10, Spacing.TRAILING);
        int t0 = grid.step(grid.size() - 1);
        assertEquals(99, t0);
        NDArray x0 = manager.randomNormal(0, 1, new Shape(64, 3), DataType.FLOAT64)
                .mul(manager.create(STD)).add(manager.create(MEAN));
        SamplerResult r = DdimSampler.deterministic().invert(model, x0, grid, Condition.none(),
                true);
        assertEquals(grid.size() + 1, r.trajectory().size());
        double[] first = r.trajectory().get(1).toDoubleArray();
        double[] x = x0.toDoubleArray();
        double ab = schedule.alphaBar(t0);
        double maxError = 0;
        double maxMove = 0;
        for (int i = 0; i < x.length; i++) {
            int d = i % 3;
            double expected = Math.sqrt(ab) * x[i] + Math.sqrt(1 - ab) * oracleEpsilon(x[i], t0, d);
            maxError = Math.max(maxError, Math.abs(first[i] - expected));
            maxMove = Math.max(maxMove, Math.abs(expected - x[i]));
        }
        assertTrue(maxError < 1e-12, "first inverted state vs closed form: " + maxError);
        assertTrue(maxMove > 0.05 && maxMove > 1e9 * Math.max(maxError, 1e-15),
                "x_{t0} must differ from x0 (the old result) by far more than the tolerance: "
                        + maxMove);
    }

    /**
     * With refinement the first state solves x_{t_0} = √ᾱ·x_0 + √(1 − ᾱ)·ε̂(x_{t_0}, t_0), so the
     * sampler's last step (t_0 -> clean data, x̂_0(x_{t_0})) maps it back to x_0 exactly, on a grid
     * without step 0; the plain step is one iteration of that map and is not yet exact.
     */
    @Test
    void refinedInversionOfTheFirstStepIsExactlyUndoneByTheSamplersLastStep() {
        TimeGrid grid = TimeGrid.spaced(1000, 10, Spacing.TRAILING);
        int t0 = grid.step(grid.size() - 1);
        TimeGrid lastStep = new TimeGrid(new int[] {t0});
        NDArray x0 = manager.randomNormal(0, 1, new Shape(64, 3), DataType.FLOAT64)
                .mul(manager.create(STD)).add(manager.create(MEAN));
        DdimSampler ddim = DdimSampler.deterministic();
        double ab = schedule.alphaBar(t0);
        double[] x = x0.toDoubleArray();
        int[] iterations = {0, 30};
        double[] residual = new double[2];
        double[] undone = new double[2];
        for (int k = 0; k < 2; k++) {
            SamplerResult r = ddim.invert(model, x0, grid, Condition.none(), true, iterations[k]);
            assertEquals(grid.size() * (1 + iterations[k]), r.steps());
            NDArray xt0 = r.trajectory().get(1);
            double[] first = xt0.toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                double map = Math.sqrt(ab) * x[i]
                        + Math.sqrt(1 - ab) * oracleEpsilon(first[i], t0, i % 3);
                residual[k] = Math.max(residual[k], Math.abs(first[i] - map));
            }
            undone[k] = ddim.sample(model, xt0, lastStep, Condition.none(), false).samples()
                    .sub(x0).abs().max().getDouble();
        }
        assertTrue(residual[1] < 1e-10, "fixed-point residual after 30 iterations " + residual[1]);
        assertTrue(undone[1] < 1e-9, "x0 -> x_t0 -> x0 error after refinement " + undone[1]);
        assertTrue(residual[0] > 1e-3 && undone[0] > 1e-3,
                "the plain step is not the fixed point: " + residual[0] + ", " + undone[0]);
    }

    /** The whole round trip on a 100-step trailing grid, as on the linspace grid below. */
    @Test
    void refinedInversionRoundTripsOnATrailingGrid() {
        TimeGrid grid = TimeGrid.spaced(1000, 100, Spacing.TRAILING);
        assertEquals(9, grid.step(grid.size() - 1));
        NDArray xT = manager.randomNormal(0, 1, new Shape(64, 3), DataType.FLOAT64);
        DdimSampler ddim = DdimSampler.deterministic();
        NDArray x0 = ddim.sample(model, xT, grid, Condition.none(), false).samples();
        NDArray inverted = ddim.invert(model, x0, grid, Condition.none(), false, 5).samples();
        double latentError = inverted.sub(xT).abs().max().getDouble();
        assertTrue(latentError < 2e-3, "inversion error in x_T " + latentError);
        double roundTrip = ddim.sample(model, inverted, grid, Condition.none(), false).samples()
                .sub(x0).abs().max().getDouble();
        assertTrue(roundTrip < 2e-3, "x0 -> xT -> x0 error " + roundTrip);
    }

    @Test
    void ddimWithEtaZeroIsDeterministicAndItsInversionRoundTrips() {
        TimeGrid grid = TimeGrid.spaced(1000, 100, Spacing.LINSPACE);
        NDArray xT = manager.randomNormal(0, 1, new Shape(64, 3), DataType.FLOAT64);
        DdimSampler ddim = DdimSampler.deterministic();
        Engine.getInstance().setRandomSeed(1);
        NDArray a = ddim.sample(model, xT, grid, Condition.none(), false).samples();
        Engine.getInstance().setRandomSeed(2);
        NDArray b = ddim.sample(model, xT, grid, Condition.none(), false).samples();
        assertEquals(0.0, a.sub(b).abs().max().getDouble(), 0.0);

        // Plain inversion: first-order error; halving the step roughly halves it.
        double plain100 = ddim.invert(model, a, grid, Condition.none(), false).samples()
                .sub(xT).abs().max().getDouble();
        TimeGrid fine = TimeGrid.spaced(1000, 200, Spacing.LINSPACE);
        NDArray a200 = ddim.sample(model, xT, fine, Condition.none(), false).samples();
        double plain200 = ddim.invert(model, a200, fine, Condition.none(), false).samples()
                .sub(xT).abs().max().getDouble();
        assertTrue(plain100 < 0.3 && plain200 < 0.6 * plain100,
                "plain inversion errors " + plain100 + " (100 steps), " + plain200 + " (200)");

        // Fixed-point inversion: exact round trip up to the iteration's convergence.
        SamplerResult inverted = ddim.invert(model, a, grid, Condition.none(), true, 5);
        assertEquals(grid.size() + 1, inverted.trajectory().size());
        assertEquals(grid.size() * 6, inverted.steps());
        double latentError = inverted.samples().sub(xT).abs().max().getDouble();
        assertTrue(latentError < 2e-3, "inversion error in x_T " + latentError);
        NDArray again = ddim.sample(model, inverted.samples(), grid, Condition.none(), false)
                .samples();
        double roundTrip = again.sub(a).abs().max().getDouble();
        assertTrue(roundTrip < 2e-3, "x0 -> xT -> x0 error " + roundTrip);
    }
}
