package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Autocast}'s requests (scopes, the process default) and what happens where bfloat16 is not available:
 * gen-core's own tests run without gen-pytorch, so the engine's kernels have no bfloat16 conversion and every
 * convolution must stay float32, bit for bit. The bfloat16 arithmetic itself is tested in gen-pytorch
 * ({@code Bfloat16ConvolutionTest}); the bfloat16 canary's reference here.
 */
class AutocastTest {

    @BeforeEach
    void seeded() {
        Engine.getInstance().setRandomSeed(58);
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(Autocast.PROPERTY);
    }

    @Test
    void parsesThePrecisionNames() {
        assertEquals(Autocast.Precision.BFLOAT16, Autocast.Precision.parse(" BF16 "));
        assertEquals(Autocast.Precision.BFLOAT16, Autocast.Precision.parse("bfloat16"));
        assertEquals(Autocast.Precision.FLOAT32, Autocast.Precision.parse("off"));
        assertEquals(Autocast.Precision.FLOAT32, Autocast.Precision.parse("fp32"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autocast.Precision.parse("fp16"));
        assertTrue(e.getMessage().contains("fp16"));
    }

    @Test
    void scopesNestAndRestoreTheProcessDefault() {
        assertEquals(Autocast.Precision.FLOAT32, Autocast.requested());
        System.setProperty(Autocast.PROPERTY, "bf16");
        assertEquals(Autocast.Precision.BFLOAT16, Autocast.requested());
        try (Autocast.Scope off = Autocast.float32()) {
            assertEquals(Autocast.Precision.FLOAT32, Autocast.requested());
            try (Autocast.Scope on = Autocast.bfloat16()) {
                assertEquals(Autocast.Precision.BFLOAT16, Autocast.requested());
            }
            assertEquals(Autocast.Precision.FLOAT32, Autocast.requested());
        }
        assertEquals(Autocast.Precision.BFLOAT16, Autocast.requested());
        System.setProperty(Autocast.PROPERTY, "half");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Autocast::requested);
        assertTrue(e.getMessage().contains("-Dgen4j.autocast"), e.getMessage());
    }

    @Test
    void aScopeBelongsToItsThread() throws Exception {
        Autocast.Scope scope = Autocast.bfloat16();
        try {
            CompletableFuture<Autocast.Precision> other = CompletableFuture.supplyAsync(Autocast::requested);
            assertEquals(Autocast.Precision.FLOAT32, other.get(), "another thread does not see this thread's scope");
            CompletableFuture<Void> closing = CompletableFuture.runAsync(scope::close);
            ExecutionException e = assertThrows(ExecutionException.class, closing::get);
            assertTrue(e.getCause() instanceof IllegalStateException);
        } finally {
            scope.close();
        }
        assertEquals(Autocast.Precision.FLOAT32, Autocast.requested());
        scope.close(); // a second close changes nothing
        assertEquals(Autocast.Precision.FLOAT32, Autocast.requested());
    }

    @Test
    void withoutTheEnginesConversionsConvolutionsStayFloat32BitForBit() {
        ConvGuard.Bfloat16Status status = ConvGuard.bfloat16Status();
        assertFalse(status.usable(), "gen-core's tests have no bfloat16 conversion: " + status.describe());
        assertNull(status.casts());
        assertTrue(status.describe().contains("in float32"), status.describe());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 6, 6));
            NDArray w = m.randomNormal(new Shape(5, 3, 3, 3));
            NDArray b = m.randomNormal(new Shape(5));
            float[] plain = ConvGuard.convolution(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1))
                    .toFloatArray();
            try (Autocast.Scope scope = Autocast.bfloat16()) {
                float[] requested = ConvGuard.convolution(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1))
                        .toFloatArray();
                assertArrayEquals(plain, requested);
                assertTrue(Autocast.describe().startsWith("bf16 requested; convolutions in float32"),
                        Autocast.describe());
            }
        }
    }

    @Test
    void bfloat16RoundingIsToNearestWithTiesToEven() {
        double[] in = {1.5, -3, 1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-8 + 0x1p-12, 0x1.fffp0, -65280, 1e-40};
        // 1 + 2^-8 is the tie between 1 and 1 + 2^-7 (even: 1); 1 + 3·2^-8 the tie between 1 + 2^-7 and 1 + 2^-6
        // (even: 1 + 2^-6); 0x1.fffp0 rounds up into the next binade; 1e-40 (subnormal in float32) keeps its
        // top bits
        double[] expected = {1.5, -3, 1, 1 + 0x1p-6, 1 + 0x1p-7, 2, -65280,
            Float.intBitsToFloat(Float.floatToRawIntBits(1e-40f) & 0xFFFF0000)};
        assertArrayEquals(expected, ConvSelfTest.toBfloat16(in));
    }

    @Test
    void theBfloat16CanaryPassesRoundingErrorsAndFailsWrongResults() {
        try (NDManager m = NDManager.newBaseManager()) {
            // float32 arithmetic on the unrounded inputs differs from the bfloat16 reference by input rounding
            // only, well inside the tolerance
            ConvSelfTest.Report exact = ConvSelfTest.runBfloat16(m, (x, w) -> ConvGuard.convolution(x, w, null,
                    ConvGuard.ones(x), ConvGuard.zeros(x), ConvGuard.ones(x)));
            assertTrue(exact.passed(), exact::summary);
            assertTrue(exact.worstError() > 1e-4, "the reference is rounded: " + exact.summary());
            // an error of 2% of the largest output is wrong
            ConvSelfTest.Report off = ConvSelfTest.runBfloat16(m, (x, w) -> {
                NDArray y = ConvGuard.convolution(x, w, null, ConvGuard.ones(x), ConvGuard.zeros(x),
                        ConvGuard.ones(x));
                return y.add(y.abs().max().mul(0.02f));
            });
            assertFalse(off.passed(), off::summary);
        }
    }
}
