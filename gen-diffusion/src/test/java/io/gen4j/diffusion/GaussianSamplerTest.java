package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Samplers driven by the exact optimal denoiser of Gaussian data must reproduce the data's mean and
 * covariance.
 */
class GaussianSamplerTest {

    static final double[] MEAN = {0.5, -0.3, 0.0};
    static final double[] STD = {0.4, 0.8, 0.25};
    static final int N = 4000;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(1234);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static Stream<Arguments> samplers() {
        return Stream.of(
                Arguments.of("DDPM small, full grid", new DdpmSampler(DdpmVariance.FIXED_SMALL), 0,
                        Prediction.EPSILON, 0.08),
                Arguments.of("DDPM large, full grid", new DdpmSampler(DdpmVariance.FIXED_LARGE), 0,
                        Prediction.EPSILON, 0.08),
                Arguments.of("DDPM small, 100 steps, v", DdpmSampler.defaults(), 100,
                        Prediction.VELOCITY, 0.15),
                Arguments.of("DDIM eta=0, 50 steps", DdimSampler.deterministic(), 50,
                        Prediction.EPSILON, 0.15),
                Arguments.of("DDIM eta=1, 50 steps", new DdimSampler(1.0), 50, Prediction.EPSILON,
                        0.25),
                Arguments.of("DDIM eta=0, full grid", DdimSampler.deterministic(), 0,
                        Prediction.EPSILON, 0.08),
                Arguments.of("DDIM eta=0.5, 50 quadratic, x0", new DdimSampler(0.5), -50,
                        Prediction.X0, 0.15));
    }

    /**
     * Draws N samples and compares their mean and covariance with (a) the exact law of the
     * discretised sampler, propagated in closed form (tight, statistical tolerance), and (b) the
     * data distribution (first-order discretisation error: 8 % on the full grid of T = 250, 15-25 % of the
     * variance with 50-100 steps, ancestral sampling being the least accurate).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void reproducesTheDataMeanAndCovariance(
            String name, Sampler sampler, int steps, Prediction prediction,
            double dataTolerance) {
        // Full-grid ancestral sampling on T = 250 keeps the test fast; spaced grids use T = 1000.
        NoiseSchedule schedule = NoiseSchedule.cosine(steps == 0 ? 250 : 1000);
        DiffusionModel model = new DiffusionModel(
                new GaussianDataDenoiser(schedule, MEAN, STD, prediction), schedule, prediction);
        TimeGrid grid = steps == 0
                ? TimeGrid.full(250)
                : TimeGrid.spaced(1000, Math.abs(steps),
                        steps > 0 ? Spacing.LINSPACE : Spacing.QUADRATIC);
        NDArray xT = manager.randomNormal(0, 1, new Shape(N, 3), DataType.FLOAT64);
        SamplerResult result = sampler.sample(model, xT, grid, Condition.none(), false);
        assertEquals(grid.size(), result.steps());
        assertTrue(result.trajectory().isEmpty());
        double[] x = result.samples().toDoubleArray();
        double[] mean = new double[3];
        for (int i = 0; i < N; i++) {
            for (int d = 0; d < 3; d++) {
                mean[d] += x[i * 3 + d] / N;
            }
        }
        double[][] cov = new double[3][3];
        for (int i = 0; i < N; i++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    cov[a][b] += (x[i * 3 + a] - mean[a]) * (x[i * 3 + b] - mean[b]) / (N - 1);
                }
            }
        }
        for (int d = 0; d < 3; d++) {
            double[] law = exactLaw(sampler, schedule, grid, MEAN[d], STD[d]);
            double sd = Math.sqrt(law[1]);
            assertEquals(law[0], mean[d], 4 * sd / Math.sqrt(N), name + ": mean[" + d + "]");
            assertEquals(law[1], cov[d][d], 4 * law[1] * Math.sqrt(2.0 / N),
                    name + ": var[" + d + "] vs the sampler's exact law");
            assertEquals(MEAN[d], law[0], 0.01, name + ": exact mean vs data");
            assertEquals(STD[d] * STD[d], law[1], dataTolerance * STD[d] * STD[d],
                    name + ": exact variance vs data");
            for (int e = d + 1; e < 3; e++) {
                assertEquals(0.0, cov[d][e], 4 * STD[d] * STD[e] / Math.sqrt(N),
                        name + ": cov[" + d + "][" + e + "]");
            }
        }
    }

    /**
     * The mean and variance of one coordinate after the sampler, in closed form: with the optimal
     * Gaussian denoiser every update is x_s = A·x_t + B + σ·z, so (m, v) -> (A·m + B, A²·v + σ²).
     */
    static double[] exactLaw(
            Sampler sampler, NoiseSchedule schedule, TimeGrid grid, double mu, double std) {
        double m = 0;
        double v = 1;
        double var = std * std;
        for (int i = 0; i < grid.size(); i++) {
            int t = grid.step(i);
            int s = grid.next(i);
            double abT = schedule.alphaBar(t);
            double abS = schedule.alphaBar(s);
            double a = Math.sqrt(abT);
            double sg = Math.sqrt(1 - abT);
            double g = a * var / (abT * var + 1 - abT);
            double o = mu - g * a * mu;
            // x0hat = g x + o; epshat = ((1 - a g) x - a o) / sg
            double coefX0;
            double coefEps;
            double sigma;
            if (sampler instanceof DdimSampler ddim) {
                sigma = ddim.eta() * Math.sqrt((1 - abS) / (1 - abT) * (1 - abT / abS));
                coefX0 = Math.sqrt(abS);
                coefEps = Math.sqrt(Math.max(1 - abS - sigma * sigma, 0));
            } else {
                DdpmSampler ddpm = (DdpmSampler) sampler;
                double betaPrime = 1 - abT / abS;
                // mean = cX0 x0hat + cXt x_t, with x_t = a x0hat + sg epshat
                double cX0 = Math.sqrt(abS) * betaPrime / (1 - abT);
                double cXt = Math.sqrt(1 - betaPrime) * (1 - abS) / (1 - abT);
                coefX0 = cX0 + cXt * a;
                coefEps = cXt * sg;
                sigma = s < 0 ? 0 : Math.sqrt(ddpm.variance().variance(abT, abS));
            }
            double bigA = coefX0 * g + coefEps * (1 - a * g) / sg;
            double bigB = coefX0 * o - coefEps * a * o / sg;
            m = bigA * m + bigB;
            v = bigA * bigA * v + sigma * sigma;
        }
        return new double[] {m, v};
    }

    @Test
    void trajectoryStartsAtTheNoiseAndEndsAtTheSamples() {
        NoiseSchedule schedule = NoiseSchedule.linear(100);
        DiffusionModel model = new DiffusionModel(
                new GaussianDataDenoiser(schedule, MEAN, STD, Prediction.EPSILON), schedule,
                Prediction.EPSILON);
        NDArray xT = manager.randomNormal(0, 1, new Shape(8, 3), DataType.FLOAT32);
        SamplerResult r = DdpmSampler.defaults().sample(model, xT, TimeGrid.full(100),
                Condition.none(), true);
        assertEquals(101, r.trajectory().size());
        assertEquals(0.0, r.trajectory().get(0).sub(xT).abs().max().getFloat(), 0.0);
        assertEquals(0.0, r.trajectory().get(100).sub(r.samples()).abs().max().getFloat(), 0.0);
        assertTrue(r.wallTime().toNanos() > 0);
        assertEquals(DataType.FLOAT32, r.samples().getDataType());
    }
}
