import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;

/**
 * Per-operation cost of one small DJL operation: a + b on (256, 2) float32 arrays (results closed every
 * 100 operations) and a.addi(b) in place, 3 rounds; compare with bench/pytorch/opcost.py. Not part of the
 * build:
 *
 * <pre>
 *   javac -cp examples/target/gen4j-examples-*-cli.jar -d /tmp/op bench/jvm/OpCost.java
 *   java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *       -cp examples/target/gen4j-examples-*-cli.jar:/tmp/op OpCost 100000
 *   /usr/bin/python3 bench/pytorch/opcost.py 100000
 * </pre>
 */
public class OpCost {
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
    public static void main(String[] args) {
        Engine.getInstance(); // start the engine (threads from -Dai.djl.pytorch.num_threads)
        int n = Integer.parseInt(args[0]);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(256, 2));
            NDArray b = m.randomNormal(new Shape(256, 2));
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime(), c0 = cpu();
                for (int i = 0; i < n; i += 100) {
                    try (NDManager s = m.newSubManager()) {
                        for (int j = 0; j < 100; j++) {
                            a.add(b).attach(s);
                        }
                    }
                }
                double wall = (System.nanoTime() - t0) / 1e3 / n, c = (cpu() - c0) / 1e3 / n;
                System.out.printf("round %d: add (256,2) in a scope: %.2f us/op wall, %.2f us/op cpu%n", round, wall, c);
                t0 = System.nanoTime(); c0 = cpu();
                for (int i = 0; i < n; i++) {
                    a.addi(b);
                }
                wall = (System.nanoTime() - t0) / 1e3 / n; c = (cpu() - c0) / 1e3 / n;
                System.out.printf("round %d: addi (in place, no new array): %.2f us/op wall, %.2f us/op cpu%n", round, wall, c);
            }
        }
    }
}
