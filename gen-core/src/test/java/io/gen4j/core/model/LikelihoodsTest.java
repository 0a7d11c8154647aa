package io.gen4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class LikelihoodsTest {

    @Test
    void uniformDensityOnTheUnitCubeIsEightBitsPerDim() {
        // p(x) = 1 on [0,1]^D: NLL 0 nats; each 8-bit bin has probability 1/256 -> 8 bits/dim
        assertEquals(8.0, Likelihoods.bitsPerDim(0.0, 3 * 32 * 32, Likelihoods.BIN_WIDTH_8BIT_UNIT), 1e-12);
        // on [-1,1]^D the density is 2^-D: NLL D ln 2, still 8 bits/dim
        long d = 784;
        assertEquals(8.0, Likelihoods.bitsPerDim(d * Math.log(2), d, Likelihoods.BIN_WIDTH_8BIT_SYMMETRIC), 1e-12);
    }

    @Test
    void noOffsetAndRoundTrip() {
        assertEquals(1.0, Likelihoods.bitsPerDim(10 * Math.log(2), 10, 1.0), 1e-15);
        double nll = 1234.5;
        double bpd = Likelihoods.bitsPerDim(nll, 784, Likelihoods.BIN_WIDTH_8BIT_UNIT);
        assertEquals(nll, Likelihoods.nllNats(bpd, 784, Likelihoods.BIN_WIDTH_8BIT_UNIT), 1e-9);
        assertEquals(bpd, Likelihoods.meanBitsPerDim(new double[] {-nll + 1, -nll - 1}, 784,
                Likelihoods.BIN_WIDTH_8BIT_UNIT), 1e-12);
    }

    @Test
    void ndArrayVersionAgrees() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ll = manager.create(new double[] {-100.0, -2000.0});
            double[] bpd = Likelihoods.bitsPerDim(ll, 64, Likelihoods.BIN_WIDTH_8BIT_UNIT).toDoubleArray();
            assertArrayEquals(new double[] {
                Likelihoods.bitsPerDim(100, 64, Likelihoods.BIN_WIDTH_8BIT_UNIT),
                Likelihoods.bitsPerDim(2000, 64, Likelihoods.BIN_WIDTH_8BIT_UNIT)}, bpd, 1e-12);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Likelihoods.bitsPerDim(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Likelihoods.bitsPerDim(1, 1, 0));
    }
}
