package io.gen4j.examples.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.runtime.Autocast;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.eval.CnnClassifier;
import io.gen4j.eval.CnnClassifierConfig;
import io.gen4j.eval.CnnFeatureExtractor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A metric's classifier computes in float32 whatever {@link Autocast} the caller asks for: FIDs of a model
 * trained with bfloat16 convolutions and of one trained in float32 are measured in the same features. Lives
 * here because bfloat16 needs gen-pytorch, which gen-eval's tests do not have.
 */
class MetricsStayFloat32Test {

    @Test
    void classifierFeaturesAreTheSameInsideABfloat16Scope() {
        ConvGuard.Bfloat16Status status = ConvGuard.bfloat16Status();
        assumeTrue(status.usable(), () -> "bfloat16 convolutions unusable here: " + status.describe());
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(3);
            NDManager owner = manager.newSubManager();
            CnnClassifier block = new CnnClassifier(CnnClassifierConfig.fashionMnist());
            block.initialize(owner, DataType.FLOAT32, block.inputShape());
            NDArray images = manager.randomUniform(0, 1, new Shape(4, 1, 28, 28));
            try (CnnFeatureExtractor cnn = CnnFeatureExtractor.of(block, owner)) {
                float[] plain = cnn.features(images).toFloatArray();
                float[] plainProbabilities = cnn.classProbabilities(images).toFloatArray();
                try (Autocast.Scope bf16 = Autocast.bfloat16()) {
                    assertArrayEquals(plain, cnn.features(images).toFloatArray());
                    assertArrayEquals(plainProbabilities, cnn.classProbabilities(images).toFloatArray());
                    // the scope is in force for everything else: the same first convolution differs in bfloat16
                    NDArray w = manager.randomNormal(new Shape(16, 1, 3, 3));
                    float[] inScope = ConvGuard.convolution(images, w, null, new Shape(1, 1), new Shape(1, 1),
                            new Shape(1, 1)).toFloatArray();
                    try (Autocast.Scope f32 = Autocast.float32()) {
                        float[] outside = ConvGuard.convolution(images, w, null, new Shape(1, 1), new Shape(1, 1),
                                new Shape(1, 1)).toFloatArray();
                        assertFalse(Arrays.equals(inScope, outside));
                    }
                }
            }
        }
    }
}
