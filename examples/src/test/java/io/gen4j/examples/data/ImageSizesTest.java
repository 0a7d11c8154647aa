package io.gen4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.examples.topics.TopicData;
import io.gen4j.examples.topics.ddpm.DdpmRun;
import io.gen4j.examples.topics.ddpm.DdpmRunConfig;
import io.gen4j.gans.GanModel;
import io.gen4j.gans.GanSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The quickstart's U-Net and a DCGAN take their shape from the data: each builds at 28, 32 and 64
 * pixels (gray and RGB) and runs a forward pass of that shape.
 */
class ImageSizesTest {

    @BeforeEach
    void seeded() {
        Engine.getInstance().setRandomSeed(294);
    }

    private static TopicData data(int channels, int size) {
        int n = 2;
        ImageDataset d = new ImageDataset("fixture", channels, size, size, new byte[n * channels * size * size],
                new int[n], List.of("a"));
        return new TopicData(d, d, null, "fixture");
    }

    @ParameterizedTest
    @CsvSource({"1, 28", "3, 32", "1, 64", "3, 64"})
    void quickstartUnetBuildsAndRunsAtTheDataShape(int channels, int size) {
        TopicData data = data(channels, size);
        DdpmRunConfig config = DdpmRunConfig.quickstart(2).withData(data, Optional.empty());
        try (NDManager m = NDManager.newBaseManager()) {
            DdpmRun run = DdpmRun.create(m, config, data);
            NDArray x = m.randomNormal(new Shape(2, channels, size, size));
            NDArray out = run.unet().forward(new ParameterStore(m, false), x, m.create(new float[] {3, 500}),
                    Condition.none(), false);
            assertArrayEquals(new long[] {2, channels, size, size}, out.getShape().getShape());
            assertTrue(config.data().contains(channels + "x" + size + "x" + size), config.data());
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 28, 2", "3, 32, 3", "1, 64, 3", "3, 64, 4"})
    void dcganBuildsAndRunsAtTheDataShape(int channels, int size, int depth) {
        GanSpec spec = GanSpec.dcgan(16, 8, depth, channels, size, size);
        try (NDManager m = NDManager.newBaseManager()) {
            GanModel gan = GanModel.create(spec, m);
            NDArray x = gan.sample(m, 2, SampleOptions.defaults());
            assertArrayEquals(new long[] {2, channels, size, size}, x.getShape().getShape());
            NDArray score = gan.discriminator().score(new ParameterStore(m, false), x, null, false);
            assertArrayEquals(new long[] {2}, new long[] {score.getShape().get(0)});
        }
    }
}
