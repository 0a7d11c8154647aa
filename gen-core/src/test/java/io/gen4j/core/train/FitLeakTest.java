package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * 200 steps of a small guarded conv net through {@link Fit} (Adam, clipping, EMA, EMA swap for a
 * sample callback, progress bar) leave the number of arrays managed by the model manager (and its
 * sub-managers) unchanged.
 */
class FitLeakTest {

    @Test
    void managedArraysDoNotGrowOver200ConvSteps() {
        TrainTestSupport.withOneThread(this::run);
    }

    @SuppressWarnings("try") // the handles act on close
    private void run() {
        try (NDManager model = NDManager.newBaseManager()) {
            Block net = ConvTestSupport.convNet(model, 16, 8, 1);
            ConvTestSupport.DenoiseStep step = new ConvTestSupport.DenoiseStep(net);
            ConvTestSupport.ImageSource source = new ConvTestSupport.ImageSource(1, 4, 8);
            Ema ema = (Ema) step.state().stateful().get("ema");
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            // warm-up: lazily created arrays (gradients) exist after the first steps
            Fit.builder().setStep(step).setSource(source).setManager(model).optTotalSteps(5)
                    .optSeed(1).build().run();
            int before = model.getManagedArrays().size();
            FitResult r = Fit.builder().setStep(step).setSource(source).setManager(model)
                    .optStartStep(5).optTotalSteps(205).optSeed(1)
                    .optSampleEvery(50, done -> {
                        try (Ema.Swap swap = ema.swapIn();
                                NDManager scope = model.newSubManager()) {
                            TrainTestSupport.forward(net, source.next(scope).head());
                        }
                    })
                    .addListener(new ProgressBar(
                            new PrintStream(progress, true, StandardCharsets.UTF_8), false, 50))
                    .build().run();
            int after = model.getManagedArrays().size();
            assertEquals(before, after, "managed arrays before/after 200 steps");
            assertTrue(r.lastMetrics().get("loss") < 0.3, "loss " + r.lastMetrics());
            assertTrue(progress.toString(StandardCharsets.UTF_8).contains("step 205/205"));
        }
    }
}
