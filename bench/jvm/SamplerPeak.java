import ai.djl.ndarray.NDManager;
import io.gen4j.examples.bench.Workload;
import io.gen4j.examples.bench.Workloads;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs only the sampler of a {@code gen4j bench} workload (no training step, so the process's peak RSS is
 * the sampler's) and prints, per sampler step, wall and process CPU time and VmHWM. Not part of the build:
 *
 * <pre>
 *   javac -cp examples/target/gen4j-examples-*-cli.jar -d /tmp/peak bench/jvm/SamplerPeak.java
 *   java -cp examples/target/gen4j-examples-*-cli.jar:/tmp/peak SamplerPeak ddpm 64 1   # family batch steps
 * </pre>
 */
public class SamplerPeak {
    static long hwm() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
        }
        return -1;
    }
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
    public static void main(String[] a) throws Exception {
        String family = a[0];
        int batch = Integer.parseInt(a[1]);
        int steps = Integer.parseInt(a[2]);
        try (Workload w = Workloads.create(family, batch); NDManager m = NDManager.newBaseManager()) {
            long before = hwm();
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime(), c0 = cpu();
                try (NDManager s = m.newSubManager()) { w.sampleStep(s); }
                double wall = (System.nanoTime() - t0) / 1e6, c = (cpu() - c0) / 1e6;
                System.out.printf("step %d: %.0f ms wall, %.0f ms cpu, %.1f ms/image wall, %.1f ms/image cpu (sampleUnits %d), VmHWM %d MiB%n",
                        i, wall, c, wall / batch, c / batch, w.sampleUnits(), hwm());
            }
            System.out.printf("%s batch %d: VmHWM after model build %d MiB, after sampling %d MiB%n", family, batch, before, hwm());
        }
    }
}
