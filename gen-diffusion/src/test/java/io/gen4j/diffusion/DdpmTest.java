package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.Condition;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DdpmTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(7);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static Ddpm gaussianDdpm(NoiseSchedule s, double[] mean, double[] std, Prediction p,
            LossWeighting w) {
        return new Ddpm(new DiffusionModel(new GaussianDataDenoiser(s, mean, std, p), s, p), w);
    }

    @Test
    void forwardSamplesHaveTheClosedFormMeanAndVariance() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        Ddpm ddpm = gaussianDdpm(s, new double[] {0}, new double[] {1}, Prediction.EPSILON,
                LossWeighting.uniform());
        int n = 20000;
        for (int t : new int[] {0, 250, 999}) {
            NDArray x0 = manager.full(new Shape(n, 1), 0.7f, DataType.FLOAT64);
            int[] steps = new int[n];
            Arrays.fill(steps, t);
            NDArray eps = manager.randomNormal(0, 1, new Shape(n, 1), DataType.FLOAT64);
            NDArray xt = ddpm.qSample(x0, steps, eps);
            double mean = xt.mean().getDouble();
            double var = xt.sub(mean).square().mean().getDouble();
            double ab = s.alphaBar(t);
            double sd = Math.sqrt(1 - ab);
            assertEquals(Math.sqrt(ab) * 0.7f, mean, 4 * sd / Math.sqrt(n), "mean at t=" + t);
            assertEquals(1 - ab, var, 4 * (1 - ab) * Math.sqrt(2.0 / n), "variance at t=" + t);
        }
    }

    @Test
    void lossIsAFiniteScalarAndSmallerForTheOptimalDenoiser() {
        NoiseSchedule s = NoiseSchedule.cosine(200);
        double[] mean = {0.3, -0.2};
        double[] std = {0.5, 0.3};
        NDArray x0 = gaussian(4000, mean, std);
        for (Prediction p : Prediction.values()) {
            for (LossWeighting w : new LossWeighting[] {LossWeighting.uniform(),
                    LossWeighting.minSnr(5)}) {
                Engine.getInstance().setRandomSeed(11);
                NDArray good = gaussianDdpm(s, mean, std, p, w).loss(x0, Condition.none());
                Engine.getInstance().setRandomSeed(11);
                NDArray bad = gaussianDdpm(s, new double[] {0, 0}, new double[] {1, 1}, p, w)
                        .loss(x0, Condition.none());
                assertEquals(0, good.getShape().dimension());
                assertTrue(Double.isFinite(good.getDouble()));
                assertTrue(good.getDouble() < bad.getDouble(),
                        p + " " + w + ": optimal " + good.getDouble() + " vs " + bad.getDouble());
            }
        }
    }

    /**
     * The loss against its definition on the host: with the steps t_i and noise ε the loss draws (same seed, same
     * order of draws), x_t = √ᾱ_t·x0 + √(1 − ᾱ_t)·ε, the v-target √ᾱ_t·ε − √(1 − ᾱ_t)·x0, and the mean over examples
     * of w(SNR(t_i))·mean‖v̂ − v‖², summed in float64. The steps never leave the device inside {@code loss}.
     */
    @Test
    void lossIsTheWeightedErrorAtTheDrawnSteps() {
        NoiseSchedule s = NoiseSchedule.cosine(200);
        double[] mean = {0.3, -0.2};
        double[] std = {0.5, 0.3};
        int n = 64;
        NDArray x0 = gaussian(n, mean, std);
        Prediction p = Prediction.VELOCITY;
        LossWeighting w = LossWeighting.minSnr(5);
        GaussianDataDenoiser oracle = new GaussianDataDenoiser(s, new double[] {0, 0}, new double[] {0.8, 0.8}, p);
        Ddpm ddpm = new Ddpm(new DiffusionModel(oracle, s, p), w);
        Engine.getInstance().setRandomSeed(23);
        int[] t = manager.randomInteger(0, s.steps(), new Shape(n), DataType.INT32).toIntArray();
        double[] eps = manager.randomNormal(0f, 1f, x0.getShape(), x0.getDataType()).toDoubleArray();
        Engine.getInstance().setRandomSeed(23);
        double loss = ddpm.loss(x0, Condition.none()).getDouble();
        double[] x = x0.toDoubleArray();
        double[] xt = new double[x.length];
        double[] time = new double[n];
        for (int i = 0; i < n; i++) {
            double ab = s.alphaBar(t[i]);
            time[i] = t[i];
            for (int d = 0; d < 2; d++) {
                xt[2 * i + d] = Math.sqrt(ab) * x[2 * i + d] + Math.sqrt(1 - ab) * eps[2 * i + d];
            }
        }
        double[] pred = oracle.predict(manager.create(xt, new Shape(n, 2)), manager.create(time), Condition.none())
                .toDoubleArray();
        double expected = 0;
        for (int i = 0; i < n; i++) {
            double ab = s.alphaBar(t[i]);
            double sq = 0;
            for (int d = 0; d < 2; d++) {
                double v = Math.sqrt(ab) * eps[2 * i + d] - Math.sqrt(1 - ab) * x[2 * i + d];
                sq += (pred[2 * i + d] - v) * (pred[2 * i + d] - v);
            }
            expected += w.weight(ab / (1 - ab), p) * sq / 2;
        }
        expected /= n;
        assertEquals(expected, loss, 1e-9 * expected);
    }

    @Test
    void minSnrWeightsMatchThePaper() {
        LossWeighting w = LossWeighting.minSnr(5);
        assertEquals(1.0, w.weight(2, Prediction.EPSILON), 1e-12);
        assertEquals(5.0 / 20, w.weight(20, Prediction.EPSILON), 1e-12);
        assertEquals(5.0, w.weight(20, Prediction.X0), 1e-12);
        assertEquals(5.0 / 21, w.weight(20, Prediction.VELOCITY), 1e-12);
        assertEquals(1.0, LossWeighting.uniform().weight(20, Prediction.X0));
    }

    /** P2 (Choi et al. 2022, eq. 8): 1/(k + SNR)^γ on the ε-loss, converted by SNR factors. */
    @Test
    void p2WeightsMatchThePaper() {
        LossWeighting w = LossWeighting.p2(1, 1);
        assertEquals(1.0 / 4, w.weight(3, Prediction.EPSILON), 1e-15);
        assertEquals(3.0 / 4, w.weight(3, Prediction.X0), 1e-15);
        assertEquals(3.0 / 16, w.weight(3, Prediction.VELOCITY), 1e-15);
        LossWeighting half = LossWeighting.p2(1, 0.5);
        assertEquals(0.5, half.weight(3, Prediction.EPSILON), 1e-15);
        assertEquals(1.5, half.weight(3, Prediction.X0), 1e-15);
        assertEquals(1.5 / 4, half.weight(3, Prediction.VELOCITY), 1e-15);
        assertEquals(1.0 / Math.sqrt(1e4 + 1), half.weight(1e4, Prediction.EPSILON), 1e-15);
        // γ = 0 is L_simple for an ε-network.
        assertEquals(1.0, LossWeighting.p2(1, 0).weight(123.4, Prediction.EPSILON), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LossWeighting.p2(0, 1));
        assertThrows(IllegalArgumentException.class, () -> LossWeighting.p2(1, -0.5));
    }

    /**
     * A weighting is one loss written in three spaces: w_ε·SNR = w_x0 = w_v·(SNR + 1), since
     * ‖ε − ε̂‖² = SNR·‖x0 − x̂0‖² and ‖v − v̂‖² = (SNR + 1)·‖x0 − x̂0‖².
     */
    @Test
    void minSnrAndP2AreTheSameLossInEveryParameterisation() {
        for (LossWeighting w : new LossWeighting[] {LossWeighting.minSnr(5),
                LossWeighting.p2(1, 1), LossWeighting.p2(0.5, 0.7)}) {
            for (double snr : new double[] {1e-4, 0.3, 1, 5, 42, 1e4}) {
                double x0 = w.weight(snr, Prediction.X0);
                assertEquals(x0, w.weight(snr, Prediction.EPSILON) * snr, 1e-12 * x0, w + " " + snr);
                assertEquals(x0, w.weight(snr, Prediction.VELOCITY) * (snr + 1), 1e-12 * x0,
                        w + " " + snr);
            }
        }
    }

    /** The weighting is an open interface: any implementation is multiplied into the loss. */
    @Test
    void aUserWeightingScalesTheLoss() {
        NoiseSchedule s = NoiseSchedule.cosine(200);
        double[] mean = {0.3, -0.2};
        double[] std = {0.5, 0.3};
        NDArray x0 = gaussian(512, mean, std);
        LossWeighting twoAndAHalf = (snr, prediction) -> 2.5;
        LossWeighting one = (snr, prediction) -> 1.0;
        LossWeighting snrOfX0 = (snr, prediction) -> prediction == Prediction.EPSILON ? snr : 1;
        Prediction p = Prediction.EPSILON;
        DiffusionModel model = new DiffusionModel(
                new GaussianDataDenoiser(s, new double[] {0, 0}, new double[] {1, 1}, p), s, p);
        double[] losses = new double[4];
        LossWeighting[] all = {LossWeighting.uniform(), twoAndAHalf, one, snrOfX0};
        for (int i = 0; i < all.length; i++) {
            Engine.getInstance().setRandomSeed(5);
            losses[i] = new Ddpm(model, all[i]).loss(x0, Condition.none()).getDouble();
        }
        assertEquals(2.5 * losses[0], losses[1], 1e-12 * losses[1]);
        assertEquals(losses[0], losses[2], 0.0);
        assertTrue(Math.abs(losses[3] - losses[0]) > 0.01 * losses[0],
                "an SNR weighting must change the loss: " + losses[3] + " vs " + losses[0]);
    }

    @Test
    void variationalBoundIsFiniteAboveTheEntropyAndImprovesWithTheDenoiser() {
        NoiseSchedule s = NoiseSchedule.linear(250);
        double[] mean = {0.2, -0.1};
        double[] std = {0.3, 0.5};
        NDArray x0 = quantise(gaussian(256, mean, std));
        Ddpm optimal = gaussianDdpm(s, mean, std, Prediction.EPSILON, LossWeighting.uniform());
        Ddpm worse = gaussianDdpm(s, new double[] {0, 0}, new double[] {0.6, 0.6},
                Prediction.EPSILON, LossWeighting.uniform());
        VariationalBound good = optimal.variationalBound(x0, Condition.none(),
                DdpmVariance.FIXED_SMALL);
        VariationalBound bad = worse.variationalBound(x0, Condition.none(),
                DdpmVariance.FIXED_SMALL);

        assertTrue(Double.isFinite(good.bitsPerDim()));
        double[] terms = good.termBitsPerDim();
        assertEquals(250, terms.length);
        double sum = good.priorBitsPerDim();
        for (int t = 0; t < 250; t++) {
            assertTrue(Double.isFinite(terms[t]), "term " + t);
            if (t > 0) {
                assertTrue(terms[t] >= -1e-9, "KL term " + t + " = " + terms[t]);
            }
            sum += terms[t];
        }
        assertEquals(good.bitsPerDim(), sum, 1e-6);
        assertEquals(good.decoderBitsPerDim(), terms[0]);
        assertTrue(good.priorBitsPerDim() >= 0 && good.priorBitsPerDim() < 1e-3);

        // −log2 p(x0) of 8-bit quantised N(μ, σ²) ≈ h(N(μ,σ²))/ln 2 − log2(2/255) per dimension.
        double entropyBits = 0;
        for (double sd : std) {
            entropyBits += (0.5 * Math.log(2 * Math.PI * Math.E * sd * sd) - Math.log(2.0 / 255))
                    / Math.log(2) / std.length;
        }
        assertTrue(good.bitsPerDim() > entropyBits - 0.1,
                "bound " + good.bitsPerDim() + " below the data entropy " + entropyBits);
        assertTrue(good.bitsPerDim() < entropyBits + 1.5,
                "bound " + good.bitsPerDim() + " far above the data entropy " + entropyBits);
        assertTrue(bad.bitsPerDim() > good.bitsPerDim() + 0.05,
                "worse denoiser " + bad.bitsPerDim() + " vs optimal " + good.bitsPerDim());

        VariationalBound strided = optimal.variationalBound(x0, Condition.none(),
                DdpmVariance.FIXED_SMALL, 5);
        assertEquals(5, strided.stride());
        assertEquals(good.bitsPerDim(), strided.bitsPerDim(), 0.4);
                long evaluated = Arrays.stream(strided.termBitsPerDim()).filter(Double::isFinite).count();
        assertEquals(5 + 49, evaluated);
    }

    /** A model whose x̂0 is 0 whatever x_t: every term of the bound is deterministic. */
    private static Ddpm constantDdpm(NoiseSchedule s) {
        return new Ddpm(new DiffusionModel((xt, t, c) -> xt.zerosLike(), s, Prediction.X0),
                LossWeighting.uniform());
    }

    /**
     * T = 8, stride 5: steps 1–4 exact, then one partial block {5, 6, 7} of width 3. With a model
     * whose terms L_t are deterministic, the strided estimate's only randomness is the drawn step,
     * so its mean over many draws must equal the exact stride-1 sum within a few standard errors,
     * and its spread must be the stratified variance w·Σ L_t² − (Σ L_t)². The old draw (uniform in
     * [0, 5) taken mod 3, i.e. steps 5, 6, 7 with probabilities 2/5, 2/5, 1/5) is biased by more
     * than 1.5 times the tolerance (checked here, and seen to fail).
     */
    @Test
    void stridedBoundIsUnbiasedWhenTheLastBlockIsPartial() {
        Ddpm ddpm = constantDdpm(NoiseSchedule.linear(8, 0.05, 0.3));
        NDArray x0 = quantise(manager.create(new double[] {0.6, -0.4, 0.2, 0.9}, new Shape(2, 2)));
        VariationalBound exact = ddpm.variationalBound(x0, Condition.none(),
                DdpmVariance.FIXED_SMALL, 1);
        assertEquals(exact.bitsPerDim(), ddpm.variationalBound(x0, Condition.none(),
                DdpmVariance.FIXED_SMALL, 1).bitsPerDim(), 1e-12, "terms must be deterministic");
        double[] l = exact.termBitsPerDim();
        double blockSum = l[5] + l[6] + l[7];
        double expectedSd = Math.sqrt(3 * (l[5] * l[5] + l[6] * l[6] + l[7] * l[7])
                - blockSum * blockSum);

        int runs = 1500;
        double sum = 0;
        double sumSq = 0;
        for (int r = 0; r < runs; r++) {
            VariationalBound b = ddpm.variationalBound(x0, Condition.none(),
                    DdpmVariance.FIXED_SMALL, 5);
            sum += b.bitsPerDim();
            sumSq += b.bitsPerDim() * b.bitsPerDim();
        }
        double mean = sum / runs;
        double sd = Math.sqrt((sumSq - runs * mean * mean) / (runs - 1));
        double tolerance = 4 * sd / Math.sqrt(runs);
        assertEquals(exact.bitsPerDim(), mean, tolerance,
                "mean of " + runs + " strided estimates vs the exact sum");
        // Sample sd of 1500 draws: relative standard error 1/√(2·1500) ≈ 1.8 %.
        assertEquals(expectedSd, sd, 0.08 * expectedSd, "spread of the strided estimate");

        double oldMean = exact.bitsPerDim() - blockSum
                + 3 * (0.4 * l[5] + 0.4 * l[6] + 0.2 * l[7]);
        // 1.5 tolerances = 6 standard errors: the old draw fails this test.
        assertTrue(Math.abs(oldMean - exact.bitsPerDim()) > 1.5 * tolerance,
                "the test must be able to see the old bias " + (oldMean - exact.bitsPerDim())
                        + " (tolerance " + tolerance + ")");
    }

    /**
     * T = 23, stride 5: blocks {5..9}, {10..14}, {15..19} and the partial {20, 21, 22}. Each
     * block's evaluated step must be uniform among the block's own steps (binomial counts within
     * 4.5 standard deviations), and scaled by the block's width.
     */
    @Test
    void stridedBoundDrawsEachBlockUniformlyAmongItsOwnSteps() {
        Ddpm ddpm = constantDdpm(NoiseSchedule.linear(23, 0.01, 0.2));
        NDArray x0 = quantise(manager.create(new double[] {0.6, -0.4}, new Shape(1, 2)));
        double[] exact = ddpm.variationalBound(x0, Condition.none(), DdpmVariance.FIXED_LARGE, 1)
                .termBitsPerDim();
        int runs = 400;
        int[] counts = new int[23];
        for (int r = 0; r < runs; r++) {
            double[] terms = ddpm.variationalBound(x0, Condition.none(),
                    DdpmVariance.FIXED_LARGE, 5).termBitsPerDim();
            for (int t = 0; t < 5; t++) {
                assertEquals(exact[t], terms[t], 1e-12, "exact step " + t);
            }
            for (int lo = 5; lo < 23; lo += 5) {
                int width = Math.min(lo + 5, 23) - lo;
                int evaluated = 0;
                for (int t = lo; t < lo + width; t++) {
                    if (Double.isFinite(terms[t])) {
                        evaluated++;
                        counts[t]++;
                        // terms hold the unscaled per-step value; the total scales it by width.
                        assertEquals(exact[t], terms[t], 1e-12, "step " + t);
                    }
                }
                assertEquals(1, evaluated, "block at " + lo);
            }
        }
        for (int t = 5; t < 23; t++) {
            int width = t < 20 ? 5 : 3;
            double p = 1.0 / width;
            double sd = Math.sqrt(runs * p * (1 - p));
            assertEquals(runs * p, counts[t], 4.5 * sd, "draws of step " + t);
        }
    }

    @Test
    void theBoundLeavesNoArraysBehind() {
        NoiseSchedule s = NoiseSchedule.linear(50);
        Ddpm ddpm = gaussianDdpm(s, new double[] {0}, new double[] {0.5}, Prediction.EPSILON,
                LossWeighting.uniform());
        NDArray x0 = quantise(gaussian(16, new double[] {0}, new double[] {0.5}));
        int before = manager.getManagedArrays().size();
        ddpm.variationalBound(x0, Condition.none(), DdpmVariance.FIXED_LARGE);
        assertEquals(before, manager.getManagedArrays().size());
    }

    private NDArray gaussian(int n, double[] mean, double[] std) {
        NDArray z = manager.randomNormal(0, 1, new Shape(n, mean.length), DataType.FLOAT64);
        return z.mul(manager.create(std)).add(manager.create(mean));
    }

    private static NDArray quantise(NDArray x) {
        return x.clip(-1, 1).add(1).mul(127.5).round().div(127.5).sub(1);
    }
}
