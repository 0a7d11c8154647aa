package io.gen4j.gans;

import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.StepEnd;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A progress line for a {@link GanTraining} run, every {@code every} steps: gen-core's bar (step,
 * rate, ETA) followed by the numbers that tell how the game goes — both losses, the mean scores D(x)
 * and D(G(z)), and both players' gradient norms:
 *
 * <pre>
 * step 400/2000 [####----------------]  20% 31.2 it/s ETA 0:00:51 L_D=1.372 L_G=0.7104 D(x)=0.0412 D(G(z))=-0.0398 |∇D|=0.1207 |∇G|=0.0917
 * </pre>
 *
 * The generator's numbers are those of its last update (with n_critic &gt; 1 it does not update at
 * every step). Use it in place of {@link ProgressBar} in {@code Fit.builder().addListener(...)}.
 */
public final class GanProgress implements FitListener {

    private final PrintStream out;
    private final long every;
    private final Map<String, Double> last = new LinkedHashMap<>();

    /**
     * @param out where to write, e.g. {@code System.err}
     * @param every print a line every this many steps (and at the last), &gt; 0
     */
    public GanProgress(PrintStream out, long every) {
        this.out = Objects.requireNonNull(out, "out");
        if (every <= 0) {
            throw new IllegalArgumentException("every must be > 0, got " + every);
        }
        this.every = every;
    }

    @Override
    public void onStepEnd(StepEnd e) {
        last.putAll(e.metrics());
        if ((e.step() + 1) % every == 0 || e.step() + 1 == e.totalSteps()) {
            out.println(format(new StepEnd(e.step(), e.totalSteps(), e.startStep(), Map.of(), e.elapsedNanos()), last));
            out.flush();
        }
    }

    @Override
    public void onFinish(FitResult result) {
        out.printf(Locale.ROOT, "done: %d steps%n", result.endStep() - result.startStep());
        out.flush();
    }

    @Override
    public void onStop(FitResult result) {
        out.printf(Locale.ROOT, "interrupted at step %d: %d steps%s%n", result.endStep(),
                result.endStep() - result.startStep(),
                result.lastCheckpoint().map(p -> ", checkpoint written").orElse(""));
        out.flush();
    }

    /**
     * @param e the step (its metrics are not used)
     * @param metrics the latest value of every metric of a GAN step
     * @return the line
     */
    static String format(StepEnd e, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder(ProgressBar.format(e));
        append(sb, "L_D", metrics.get("discriminator.loss"));
        append(sb, "L_G", metrics.get("generator.loss"));
        append(sb, "D(x)", metrics.get("discriminator.realScore"));
        append(sb, "D(G(z))", metrics.get("discriminator.fakeScore"));
        append(sb, "|∇D|", metrics.get("discriminator.gradNorm"));
        append(sb, "|∇G|", metrics.get("generator.gradNorm"));
        return sb.toString();
    }

    private static void append(StringBuilder sb, String name, Double value) {
        if (value != null) {
            sb.append(String.format(Locale.ROOT, " %s=%.4g", name, value));
        }
    }
}
