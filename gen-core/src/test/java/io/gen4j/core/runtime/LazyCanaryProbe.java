package io.gen4j.core.runtime;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.TrainTestSupport;

/**
 * A child-process program for {@link LazyCanaryTest}: starts the engine, trains an MLP for a few
 * steps through {@link Fit}, then builds one convolution block, and prints after each stage whether
 * the convolution guard's canary has run ({@code decided=true|false}) and how long the stage took.
 */
public final class LazyCanaryProbe {

    private LazyCanaryProbe() {}

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        EngineInfo info = EngineInfo.start(1);
        report("start", t0);
        System.out.println("info " + info);
        try (NDManager manager = NDManager.newBaseManager()) {
            long t1 = System.nanoTime();
            Block net = TrainTestSupport.mlp(manager, 3, 16, 2, 1);
            Fit.builder().setStep(new TrainTestSupport.RegressionStep(net, 1e-2))
                    .setSource(new TrainTestSupport.RegressionSource(1, 8, 3, 2))
                    .setManager(manager).optTotalSteps(5).optSeed(1).build().run();
            report("mlp-fit", t1);
            long t2 = System.nanoTime();
            Conv2d.builder().setFilters(4).setKernelSize(3).build();
            report("conv-block", t2);
            System.out.println("mode " + ConvGuard.decided().map(s -> s.mode() + " " + s.source()).orElse("-"));
        }
    }

    private static void report(String stage, long since) {
        System.out.printf("%s decided=%s ms=%d%n", stage, ConvGuard.decided().isPresent(),
                (System.nanoTime() - since) / 1_000_000);
    }
}
