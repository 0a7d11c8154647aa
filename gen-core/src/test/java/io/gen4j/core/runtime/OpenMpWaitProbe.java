package io.gen4j.core.runtime;

/**
 * Child-JVM probe for {@link OpenMpWaitTest}: starts the engine ({@link EngineInfo#start(Integer)} with two
 * intra-op threads, so that libtorch loads its OpenMP runtime) and prints what {@link OpenMpWait} decided and
 * the {@code OMP_WAIT_POLICY} the process then has. With {@code OMP_DISPLAY_ENV=VERBOSE} in its environment, the
 * OpenMP runtime itself prints the settings it read when it loaded (libgomp: {@code GOMP_SPINCOUNT}) to the
 * standard error.
 */
public final class OpenMpWaitProbe {

    private OpenMpWaitProbe() {}

    /** @param args none */
    public static void main(String[] args) {
        EngineInfo.start(2);
        System.out.println("status " + OpenMpWait.decided().map(OpenMpWait.Status::description).orElse("none"));
        System.out.println("env " + NativeEnvironment.get(OpenMpWait.ENV));
    }
}
