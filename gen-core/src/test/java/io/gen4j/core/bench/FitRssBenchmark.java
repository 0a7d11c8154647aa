package io.gen4j.core.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.train.ConvTestSupport;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.StepEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Resident memory of the training loop (the Java heap is included in VmRSS: run with a small
 * {@code -Xmx} to see the native part): 2000 steps of a guarded conv denoiser (3 convs, 32
 * channels, batch 32 of 28x28 by default; system properties {@code bench.channels},
 * {@code bench.size}, {@code bench.batch}) through {@link Fit}, printing VmRSS every 200 steps. Not a test:
 * run it with
 *
 * <pre>
 * mvn -o -q -pl gen-core test-compile exec:java ... or
 * java -cp target/test-classes:target/classes:$(deps) io.gen4j.core.bench.FitRssBenchmark [steps]
 * </pre>
 */
public final class FitRssBenchmark {

    private FitRssBenchmark() {}

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * @param args optional: number of steps (default 2000)
     */
    public static void main(String[] args) {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 2000;
        int channels = Integer.getInteger("bench.channels", 32);
        int size = Integer.getInteger("bench.size", 28);
        int batch = Integer.getInteger("bench.batch", 32);
        System.out.println("conv guard: " + ConvGuard.status().describe());
        System.out.printf(Locale.ROOT, "conv net: %d channels, batch %d of %dx%d, %d steps%n",
                channels, batch, size, size, steps);
        try (NDManager model = NDManager.newBaseManager()) {
            Block net = ConvTestSupport.convNet(model, channels, size, 1);
            ConvTestSupport.DenoiseStep step = new ConvTestSupport.DenoiseStep(net);
            long t0 = System.nanoTime();
            Fit.builder().setStep(step).setSource(new ConvTestSupport.ImageSource(1, batch, size))
                    .setManager(model).optTotalSteps(steps).optSeed(1)
                    .addListener(new FitListener() {
                        @Override
                        public void onStepEnd(StepEnd e) {
                            long done = e.step() + 1;
                            if (done == 1 || done % 200 == 0) {
                                try {
                                    System.out.printf(Locale.ROOT,
                                            "step %5d  VmRSS %7.1f MB  Java heap committed %6.1f MB  "
                                                    + "managed arrays %d  loss %.4f  %.1f it/s%n",
                                            done, rssKb() / 1024.0,
                                            Runtime.getRuntime().totalMemory() / 1048576.0,
                                            model.getManagedArrays().size(),
                                            e.metrics().get("loss"), e.stepsPerSecond());
                                } catch (IOException ex) {
                                    throw new IllegalStateException(ex);
                                }
                            }
                        }
                    })
                    .build().run();
            System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }
}
