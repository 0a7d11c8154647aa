package io.gen4j.examples.cli;

import io.gen4j.core.runtime.StopSignal;
import java.io.Console;
import java.util.Locale;

/**
 * The user's terminal, when there is one: where the CLI asks a yes/no question instead of refusing
 * outright. Without a terminal (a script, CI, the output piped) nothing is asked and the answer is
 * no.
 */
public interface Terminal {

    /**
     * Asks a yes/no question.
     *
     * @param question the question, e.g. {@code "Run it on the CPU anyway?"}; {@code " [y/N] "} is
     *     appended
     * @return true only when the user answered y or yes
     */
    boolean confirm(String question);

    /** @return the JVM's console, or a terminal that answers no when there is none */
    static Terminal system() {
        return question -> {
            Console console = System.console();
            if (console == null) {
                return false;
            }
            // Ctrl-C at the question ends the process at once: nothing is running that a stop must wait for
            return yes(StopSignal.waitingForInput(() -> console.readLine("%s [y/N] ", question)));
        };
    }

    /**
     * @param answer what the user typed, null at end of input
     * @return whether it means yes
     */
    static boolean yes(String answer) {
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
    }
}
