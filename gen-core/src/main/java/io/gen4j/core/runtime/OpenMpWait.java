package io.gen4j.core.runtime;

import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How libtorch's OpenMP threads wait between two parallel operations, chosen once, before the engine loads.
 *
 * <p>With more than one intra-op thread, every parallel operation ends at a barrier; the helper threads then
 * wait for the next one. The OpenMP runtime's default (libgomp's on Linux, which DJL's libtorch ships, and
 * PyTorch's) is to spin for a while (libgomp: 300,000 rounds, a few milliseconds) and then sleep, so that the
 * next operation finds them awake. {@code OMP_WAIT_POLICY=PASSIVE} makes them sleep at once, and every operation
 * then waits for the kernel to wake them. Measured on an idle 2-core machine at 2 threads (docs/performance.md,
 * session 29): passive waiting made the README quickstart's training 1.66× slower (171 against 103 s), DDPM's
 * bench step 1.1× (487 against 432–447 ms), RealNVP's 2.4× (11.5 against 4.8 ms). Spinning costs where the
 * machine has no core to spare: with another process busy on one of the two cores the quickstart trained in 404
 * s spinning and 348–351 s passive, and gen4j's own build, which runs two test JVMs on two cores, sets {@code
 * OMP_WAIT_POLICY=PASSIVE} for its tests (spinning made them 10–17× slower there).
 *
 * <p>{@link #configure()} (called by {@link EngineInfo#start(Integer)}) decides, in this order:
 *
 * <ul>
 *   <li>{@code OMP_WAIT_POLICY} in the environment: kept as it is;
 *   <li>the system property {@value #PROPERTY}: {@code spin} (the default: leaves the runtime's default), {@code
 *       passive} (sets {@code OMP_WAIT_POLICY=PASSIVE}) or {@code active} ({@code OMP_WAIT_POLICY=ACTIVE}: spin
 *       without a limit).
 * </ul>
 *
 * It only has an effect before libtorch has loaded, and none at one intra-op thread (no helper threads).
 */
public final class OpenMpWait {

    /** System property: {@code spin} (the default), {@code passive} or {@code active}. */
    public static final String PROPERTY = "gen4j.omp.wait";
    /** The OpenMP environment variable that the runtime reads when it loads. */
    public static final String ENV = "OMP_WAIT_POLICY";

    private static final Logger LOG = LoggerFactory.getLogger(OpenMpWait.class);
    private static volatile Status status;

    private OpenMpWait() {}

    /**
     * What {@link #configure()} decided.
     *
     * @param policy the value of {@code OMP_WAIT_POLICY} the runtime reads, or null for its default
     * @param description one line for logs, {@code doctor} and {@code bench}
     */
    public record Status(String policy, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * Decides once per process (later calls return the first answer) and sets {@code OMP_WAIT_POLICY} where the
     * decision asks for it.
     *
     * @return what the OpenMP runtime will do
     * @throws IllegalArgumentException when {@value #PROPERTY} has a value other than spin, passive or active
     */
    public static synchronized Status configure() {
        if (status == null) {
            boolean canSet = NativeEnvironment.supported();
            String environment = canSet ? NativeEnvironment.get(ENV) : System.getenv(ENV);
            Status s = decide(environment, System.getProperty(PROPERTY), canSet);
            if (s.policy() != null && (environment == null || environment.isBlank())) {
                NativeEnvironment.set(ENV, s.policy());
            }
            status = s;
            LOG.debug("openmp: {}", s.description());
        }
        return status;
    }

    /** @return the answer of {@link #configure()} if it was called in this process */
    public static Optional<Status> decided() {
        return Optional.ofNullable(status);
    }

    /**
     * The decision, without side effects.
     *
     * @param environment the value of {@code OMP_WAIT_POLICY} in the environment, or null
     * @param property the value of {@value #PROPERTY}, or null
     * @param canSetEnvironment whether this process can set its environment (not on Windows)
     * @return the policy the runtime will read (null: its default) and a description
     * @throws IllegalArgumentException when {@code property} is not spin, passive or active
     */
    static Status decide(String environment, String property, boolean canSetEnvironment) {
        String wanted = property == null ? "spin" : property.trim().toLowerCase(Locale.ROOT);
        if (!wanted.equals("spin") && !wanted.equals("passive") && !wanted.equals("active")) {
            throw new IllegalArgumentException(PROPERTY + " must be spin, passive or active, got '" + property + "'");
        }
        if (environment != null && !environment.isBlank()) {
            return new Status(environment, ENV + "=" + environment + " (from the environment)");
        }
        if (wanted.equals("spin")) {
            return new Status(null, "idle threads spin, then sleep (the OpenMP runtime's default, as in PyTorch; "
                    + PROPERTY + "=passive or " + ENV + "=PASSIVE where no core is free)");
        }
        String policy = wanted.toUpperCase(Locale.ROOT);
        String how = wanted.equals("passive") ? "idle threads sleep at once" : "idle threads spin";
        if (!canSetEnvironment) {
            return new Status(null, "the OpenMP runtime's default (spin, then sleep): " + how + " needs " + ENV + "="
                    + policy + " set before java starts on this system");
        }
        return new Status(policy, ENV + "=" + policy + ", " + how + " (" + PROPERTY + "=" + wanted + ")");
    }
}
